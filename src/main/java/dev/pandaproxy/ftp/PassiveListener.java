package dev.pandaproxy.ftp;

import dev.pandaproxy.config.FtpConfig.PortRange;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.EngineTlsStream;
import dev.pandaproxy.tls.SessionReuse;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The proxy's side of one passive-mode data connection: a TLS listener on a port from the configured
 * range, accepting exactly one connection, and only from the client that asked for it, resuming its TLS
 * session (so nobody else can take over the transfer). The data is bulk, so the TLS is an {@link EngineTlsStream}, which moves
 * several records per system call.
 */
final class PassiveListener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PassiveListener.class.getName());

    private final ServerSocket server;
    private final SSLContext context;

    private PassiveListener(ServerSocket server, SSLContext context) {
        this.server = server;
        this.context = context;
    }

    /** Listens on {@code bindAddress} on a free port of {@code range} (any free port without a range). */
    static PassiveListener open(String bindAddress, Optional<PortRange> range, SSLContext context) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        if (range.isEmpty()) {
            return new PassiveListener(bound(new InetSocketAddress(address, 0)), context);
        }
        PortRange ports = range.get();
        int start = ThreadLocalRandom.current().nextInt(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.first() + (start + i) % ports.size();
            try {
                return new PassiveListener(bound(new InetSocketAddress(address, port)), context);
            } catch (BindException inUse) {
                // next one
            }
        }
        throw new IOException(
                "all passive ports " + ports.first() + "-" + ports.last() + " are in use (ftp.passive-ports)");
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * The data connection of the client on {@code control}, TLS handshake done. Connections from other
     * addresses are refused, and with {@code requireSessionReuse} so are those that do not resume the control
     * connection's TLS session: another program at the client's address (the same host, a NAT, a Docker
     * bridge) could otherwise take the transfer without having logged in.
     */
    EngineTlsStream accept(SSLSocket control, boolean requireSessionReuse, Duration timeout) throws IOException {
        InetAddress client = control.getInetAddress();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("the client did not open its data connection within "
                        + timeout.toSeconds() + " s (ftp.data-timeout)");
            }
            server.setSoTimeout((int) Math.max(1, left / 1_000_000));
            Socket socket = server.accept();
            if (!socket.getInetAddress().equals(client)) {
                LOG.log(
                        Level.WARNING,
                        "ftp: data connection from {0} refused: the transfer belongs to {1}",
                        Peers.describe(socket),
                        client.getHostAddress());
                Sockets.abort(socket);
                continue;
            }
            EngineTlsStream data;
            try {
                socket.setSoTimeout((int) timeout.toMillis());
                socket.setTcpNoDelay(true);
                data = EngineTlsStream.accept(socket, context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA, 4);
            } catch (IOException e) {
                Sockets.abort(socket);
                throw e;
            }
            if (!requireSessionReuse || SessionReuse.resumes(data.session(), control.getSession())) {
                return data;
            }
            LOG.log(
                    Level.WARNING,
                    "ftp: data connection from {0} refused: it did not resume the TLS session of the "
                            + "control connection it claims (ftp.require-session-reuse)",
                    Peers.describe(socket));
            data.abort();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static ServerSocket bound(InetSocketAddress address) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(address, 1);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
