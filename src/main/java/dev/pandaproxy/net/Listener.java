package dev.pandaproxy.net;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.ConfigException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one accept loop: a server socket, a virtual thread per connection, a connection limit. A connection
 * over the limit is closed at once (and counted) rather than left waiting in the backlog, so the client
 * fails fast instead of timing out.
 */
public final class Listener implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private static final BackoffConfig ACCEPT_BACKOFF = new BackoffConfig(Duration.ofMillis(50), Duration.ofSeconds(1));

    /** Creates the unbound server socket (plain or TLS). */
    @FunctionalInterface
    public interface ServerSockets {
        ServerSocket create() throws IOException;
    }

    /** Serves one accepted connection; the listener closes the socket afterwards. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws IOException;
    }

    /**
     * What to listen on.
     *
     * @param service        service name for logs and thread names
     * @param portKey        the configuration key of the port, for bind errors
     * @param bindAddress    local address
     * @param port           local port, 0 for any
     * @param maxConnections connections served at once
     * @param onRejected     called for each connection refused over the limit
     */
    public record Spec(
            String service, String portKey, String bindAddress, int port, int maxConnections, Runnable onRejected) {}

    private final Spec spec;
    private final ServerSocket serverSocket;
    private final Handler handler;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final Thread acceptThread;
    private volatile boolean closed;

    private Listener(Spec spec, ServerSocket serverSocket, Handler handler) {
        this.spec = spec;
        this.serverSocket = serverSocket;
        this.handler = handler;
        this.acceptThread = Thread.ofVirtual().name(spec.service() + "-accept").unstarted(this::acceptLoop);
    }

    /**
     * Binds and starts accepting.
     *
     * @throws ConfigException when the address or port cannot be used, with what to do about it
     */
    public static Listener start(Spec spec, ServerSockets factory, Handler handler) {
        ServerSocket socket = bind(spec, factory);
        Listener listener = new Listener(spec, socket, handler);
        listener.acceptThread.start();
        LOG.log(Level.INFO, "{0}: listening on {1}", spec.service(), listener.address());
        return listener;
    }

    /** The bound port (useful when 0 was asked). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code host:port} clients connect to. */
    public String address() {
        return Peers.describe(new InetSocketAddress(serverSocket.getInetAddress(), port()));
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            Sockets.abort(socket);
        }
        acceptThread.interrupt();
    }

    private void acceptLoop() {
        // an accept error tends to persist (out of file descriptors): retrying at once would spin a core and
        // flood the log until it clears
        Backoff backoff = new Backoff(ACCEPT_BACKOFF);
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
                backoff.reset();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                Duration delay = backoff.next();
                LOG.log(
                        Level.WARNING,
                        "{0}: accept failed, retrying in {1} ms: {2}",
                        spec.service(),
                        delay.toMillis(),
                        e.getMessage());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            if (active.incrementAndGet() > spec.maxConnections()) {
                active.decrementAndGet();
                spec.onRejected().run();
                LOG.log(
                        Level.WARNING,
                        "{0}: refused {1}: {2} connections already (raise the limit to allow more)",
                        spec.service(),
                        Peers.describe(socket),
                        spec.maxConnections());
                Sockets.closeQuietly(socket);
                continue;
            }
            try {
                // frames and messages go out in few large writes; Nagle would hold each one's tail back
                // for the peer's delayed ACK (tens of milliseconds)
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                Sockets.closeQuietly(socket);
                continue;
            }
            connections.add(socket);
            Thread.ofVirtual()
                    .name(spec.service() + "-" + Peers.describe(socket))
                    .start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try {
            handler.handle(socket);
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    "{0}: {1}: connection ended: {2}",
                    spec.service(),
                    Peers.describe(socket),
                    e.toString());
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    () -> spec.service() + ": " + Peers.describe(socket) + ": unexpected failure, connection closed",
                    e);
        } finally {
            Sockets.closeQuietly(socket);
            connections.remove(socket);
            active.decrementAndGet();
        }
    }

    private static ServerSocket bind(Spec spec, ServerSockets factory) {
        String where = spec.portKey() + " = " + spec.port();
        try {
            ServerSocket socket = factory.create();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(spec.bindAddress()), spec.port()), 128);
            return socket;
        } catch (BindException e) {
            String reason = String.valueOf(e.getMessage());
            if (reason.contains("Permission denied") || reason.contains("Access denied")) {
                throw new ConfigException(where + ": no permission to bind a port below 1024; run as root, grant "
                        + "CAP_NET_BIND_SERVICE (e.g. setcap cap_net_bind_service=+ep on the java binary; the container "
                        + "image has it), or choose a port of 1024 or more");
            }
            if (reason.contains("Cannot assign requested address")) {
                throw new ConfigException("proxy.bind = " + spec.bindAddress() + ": not an address of this machine");
            }
            throw new ConfigException(where + " on " + spec.bindAddress() + ": the port is in use (stop the other "
                    + "program or choose another port)");
        } catch (IOException e) {
            throw new ConfigException(where + " on " + spec.bindAddress() + ": cannot listen (" + e.getMessage() + ")");
        }
    }
}
