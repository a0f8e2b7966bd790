package dev.pandaproxy.testing;

import dev.pandaproxy.ftp.FtpCodec;
import dev.pandaproxy.ftp.FtpLineReader;
import dev.pandaproxy.ftp.FtpReply;
import dev.pandaproxy.tls.EngineTlsStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPSClient;

/** FTPS clients for the tests: Apache Commons Net, and a raw control connection for exact replies. */
public final class FtpClients {
    private FtpClients() {}

    /** A logged-in Commons Net client (implicit TLS, PROT P, passive, binary) trusting the proxy CA. */
    public static FTPSClient commonsNet(int port, Path caFile, String password) throws IOException {
        return commonsNet("127.0.0.1", port, caFile, password);
    }

    /** The same, for a server at {@code host}. */
    public static FTPSClient commonsNet(String host, int port, Path caFile, String password) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, MqttClients.trust(caFile).getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        FTPSClient client = new SessionReusingFtpsClient(context);
        client.setConnectTimeout(10_000);
        client.setDefaultTimeout(30_000);
        client.connect(host, port);
        client.setSoTimeout(30_000);
        if (!client.login("bblp", password)) {
            int code = client.getReplyCode();
            client.disconnect();
            throw new IOException("login refused: " + code);
        }
        client.execPBSZ(0);
        client.execPROT("P");
        client.enterLocalPassiveMode();
        client.setFileType(FTP.BINARY_FILE_TYPE);
        return client;
    }

    /**
     * Commons Net's FTPS client opens each data connection with a fresh TLS handshake, which the printer (like
     * vsftpd with {@code require_ssl_reuse}) and the proxy refuse. The JDK finds a session to resume by the
     * peer's host and port, so this client files the control connection's session under the data connection's
     * address just before the handshake: the well-known workaround Commons Net users apply against printers.
     */
    private static final class SessionReusingFtpsClient extends FTPSClient {
        SessionReusingFtpsClient(SSLContext context) {
            super(true, context);
        }

        @Override
        protected void _prepareDataSocket_(Socket socket) throws IOException {
            if (socket instanceof SSLSocket && _socket_ instanceof SSLSocket control) {
                SSLSession session = control.getSession();
                try {
                    Field field = session.getSessionContext().getClass().getDeclaredField("sessionHostPortCache");
                    field.setAccessible(true);
                    Object cache = field.get(session.getSessionContext());
                    Method put = cache.getClass().getDeclaredMethod("put", Object.class, Object.class);
                    put.setAccessible(true);
                    InetAddress address = socket.getInetAddress();
                    for (String host : List.of(address.getHostAddress(), address.getHostName())) {
                        put.invoke(cache, (host + ":" + socket.getPort()).toLowerCase(Locale.ROOT), session);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IOException("cannot file the control session for the data connection: " + e, e);
                }
            }
        }
    }

    /** A raw implicit-TLS control connection. */
    public static final class Raw implements AutoCloseable {
        private final SSLContext context;
        private final SSLSocket socket;
        private final FtpLineReader replies;

        public Raw(SSLContext context, int port) throws IOException {
            this.context = context;
            socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            replies = new FtpLineReader(new BufferedInputStream(socket.getInputStream()), 64 * 1024);
        }

        /** Sends {@code EPSV}: the port of the proxy's passive listener for the next transfer. */
        public int passivePort() throws IOException {
            return FtpCodec.extendedPassiveAddress(send("EPSV"), InetAddress.getLoopbackAddress())
                    .getPort();
        }

        /**
         * A TLS data connection to {@code dataPort} that resumes this control connection's session, as curl,
         * lftp and basic-ftp open theirs (an {@code SSLSocket} would look for a session under the data port).
         */
        public EngineTlsStream openData(int dataPort) throws IOException {
            Socket data = new Socket();
            data.connect(new InetSocketAddress("127.0.0.1", dataPort), 5000);
            data.setSoTimeout(20_000);
            return EngineTlsStream.connect(data, context, socket.getSession().getPeerHost(), socket.getPort());
        }

        public SSLSocket socket() {
            return socket;
        }

        public FtpReply read() throws IOException {
            return replies.readReply();
        }

        public FtpReply send(String line) throws IOException {
            socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return read();
        }

        /** Whether the server closed the connection (reads EOF or a reset within the timeout). */
        public boolean closedByServer() {
            try {
                return socket.getInputStream().read() < 0;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
