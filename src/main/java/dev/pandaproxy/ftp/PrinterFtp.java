package dev.pandaproxy.ftp;

import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.EngineTlsStream;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One FTP session with the printer: implicit TLS on the control connection, logged in as {@code bblp},
 * and data connections that resume the control connection's TLS session (as vsftpd's
 * {@code require_ssl_reuse} demands) or, if configured, stay in the clear ({@code PROT C}).
 */
final class PrinterFtp implements AutoCloseable {
    private static final int MAX_LINE = 8192;

    private final PrinterConfig printer;
    private final SSLContext context;
    private final SSLSocket control;
    private final FtpLineReader replies;
    private final OutputStream out;
    private final boolean clearData;
    private final Duration timeout;

    private PrinterFtp(
            PrinterConfig printer, SSLContext context, SSLSocket control, boolean clearData, Duration timeout)
            throws IOException {
        this.printer = printer;
        this.context = context;
        this.control = control;
        this.replies = new FtpLineReader(new BufferedInputStream(control.getInputStream()), MAX_LINE);
        this.out = control.getOutputStream();
        this.clearData = clearData;
        this.timeout = timeout;
    }

    /** Connects and logs in; a refusal becomes an {@link IOException} saying what to check. */
    static PrinterFtp login(SSLContext context, PrinterConfig printer, boolean clearData, Duration timeout)
            throws IOException {
        SSLSocket socket = TlsPolicy.configureToPrinter(
                (SSLSocket) context.getSocketFactory().createSocket());
        try (Deadline deadline = Deadline.abortAfter(printer.connectTimeout(), socket)) {
            socket.connect(new InetSocketAddress(printer.host(), printer.ports().ftp()), (int)
                    printer.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            PrinterFtp ftp = new PrinterFtp(printer, context, socket, clearData, timeout);
            expect(ftp.replies.readReply(), 220, "the printer's FTP greeting");
            FtpReply user = ftp.send("USER bblp");
            if (user.code() == 331) {
                FtpReply pass = ftp.sendSecret("PASS ", printer.accessCode().revealBytes());
                if (pass.code() != 230) {
                    throw new IOException(
                            "the FTP server refused the login (" + pass.code() + "): check the access code");
                }
            } else {
                expect(user, 230, "USER");
            }
            expect(ftp.send("PBSZ 0"), 200, "PBSZ");
            expect(ftp.send(clearData ? "PROT C" : "PROT P"), 200, "PROT");
            socket.setSoTimeout((int) timeout.toMillis());
            return ftp;
        } catch (IOException | RuntimeException e) {
            Sockets.abort(socket);
            throw e;
        }
    }

    /** Sends a command line and returns the printer's (first) reply. */
    FtpReply send(String line) throws IOException {
        write(line.getBytes(StandardCharsets.UTF_8));
        return replies.readReply();
    }

    /** The next reply (after a preliminary 1xx, the final one). */
    FtpReply readReply() throws IOException {
        return replies.readReply();
    }

    /**
     * Puts the printer in passive mode and connects to its data port: always at the control connection's
     * peer (printers announce 0.0.0.0), whatever port the reply names.
     */
    Socket openDataConnection() throws IOException {
        FtpReply reply = send("PASV");
        InetSocketAddress address = reply.code() == 227
                ? FtpCodec.passiveAddress(reply, control.getInetAddress())
                : FtpCodec.extendedPassiveAddress(send("EPSV"), control.getInetAddress());
        Socket data = new Socket();
        try {
            data.connect(address, (int) printer.connectTimeout().toMillis());
            data.setSoTimeout((int) timeout.toMillis());
            return data;
        } catch (IOException e) {
            Sockets.abort(data);
            throw new IOException(
                    "cannot reach the printer's data port " + address.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The data stream over {@code data}: TLS resuming the control session, or the plain socket. */
    DataStream secure(Socket data) throws IOException {
        if (clearData) {
            return DataStream.plain(data);
        }
        EngineTlsStream tls = EngineTlsStream.connect(
                data, context, printer.host(), printer.ports().ftp());
        return DataStream.tls(tls);
    }

    /** Whether the control connection is still usable. */
    boolean open() {
        return !control.isClosed();
    }

    @Override
    public void close() {
        try (Deadline deadline = Deadline.abortAfter(Duration.ofSeconds(2), control)) {
            write("QUIT".getBytes(StandardCharsets.US_ASCII));
            replies.readReply();
        } catch (IOException ignored) {
            // leaving anyway
        } finally {
            Sockets.abort(control);
        }
    }

    /** Ends the session at once (the printer vanished, or the proxy shuts down). */
    void abort() {
        Sockets.abort(control);
    }

    private FtpReply sendSecret(String prefix, byte[] secret) throws IOException {
        byte[] line = new byte[prefix.length() + secret.length];
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, line, 0, prefix.length());
        System.arraycopy(secret, 0, line, prefix.length(), secret.length);
        write(line);
        return replies.readReply();
    }

    private void write(byte[] line) throws IOException {
        out.write(line);
        out.write('\r');
        out.write('\n');
        out.flush();
    }

    private static void expect(FtpReply reply, int code, String what) throws IOException {
        if (reply.code() != code) {
            throw new IOException(what + " answered " + reply.code() + " " + reply.text());
        }
    }

    /** A data connection's streams, TLS or clear, with a clean close and an abortive one. */
    interface DataStream extends AutoCloseable {
        InputStream input() throws IOException;

        OutputStream output() throws IOException;

        /** Ends our side cleanly (TLS close_notify), so the peer stores every byte as complete. */
        void finish() throws IOException;

        /** Ends without close_notify, so the peer cannot mistake it for a complete transfer. */
        void abort();

        @Override
        void close();

        static DataStream tls(EngineTlsStream tls) {
            return new DataStream() {
                @Override
                public InputStream input() {
                    return tls.inputStream();
                }

                @Override
                public OutputStream output() {
                    return tls.outputStream();
                }

                @Override
                public void finish() throws IOException {
                    tls.closeOutput();
                }

                @Override
                public void abort() {
                    tls.abort();
                }

                @Override
                public void close() {
                    try {
                        tls.close();
                    } catch (IOException e) {
                        tls.abort();
                    }
                }
            };
        }

        static DataStream plain(Socket socket) {
            return new DataStream() {
                @Override
                public InputStream input() throws IOException {
                    return socket.getInputStream();
                }

                @Override
                public OutputStream output() throws IOException {
                    return socket.getOutputStream();
                }

                @Override
                public void finish() throws IOException {
                    socket.shutdownOutput();
                }

                @Override
                public void abort() {
                    Sockets.abort(socket);
                }

                @Override
                public void close() {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        Sockets.abort(socket);
                    }
                }
            };
        }
    }
}
