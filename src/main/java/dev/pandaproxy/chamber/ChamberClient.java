package dev.pandaproxy.chamber;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.tls.TlsPolicy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A chamber camera viewer: connects over TLS, logs in as {@code bblp}, reads frames. The proxy uses it
 * toward the printer; tests, benchmarks and diagnostics use it toward the proxy.
 */
public final class ChamberClient implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;
    private final int maxFrameBytes;

    private ChamberClient(SSLSocket socket, int maxFrameBytes) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Connects, completes the TLS handshake and sends the login.
     *
     * @param timeout       connect, handshake and (initial) read timeout
     * @param maxFrameBytes larger frames are a protocol error
     */
    public static ChamberClient connect(SSLContext context, String host, int port, Secret accessCode,
                                        Duration timeout, int maxFrameBytes) throws IOException {
        SSLSocket socket = TlsPolicy.configureToPrinter((SSLSocket) context.getSocketFactory().createSocket());
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            socket.getOutputStream().write(ChamberCodec.encodeLogin("bblp", accessCode.revealBytes()));
            socket.getOutputStream().flush();
            return new ChamberClient(socket, maxFrameBytes);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sets how long {@link #readFrame()} waits for data before failing. */
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * The next frame.
     *
     * @throws EOFException              when the server closed the connection between frames
     * @throws ChamberProtocolException  when the server sent something that is not a frame, or stopped inside one
     * @throws SocketTimeoutException    when nothing arrived within the read timeout
     */
    public ChamberFrame readFrame() throws IOException {
        byte[] header = in.readNBytes(ChamberCodec.HEADER_BYTES);
        if (header.length == 0) {
            throw new EOFException("connection closed");
        }
        if (header.length < ChamberCodec.HEADER_BYTES) {
            throw new ChamberProtocolException("connection closed inside a frame header");
        }
        int length = ChamberCodec.decodeFrameHeader(header, maxFrameBytes);
        byte[] jpeg = in.readNBytes(length);
        if (jpeg.length < length) {
            throw new ChamberProtocolException("connection closed inside a frame (" + jpeg.length + " of " + length + " bytes)");
        }
        ChamberCodec.checkJpeg(jpeg);
        return new ChamberFrame(header, jpeg, System.nanoTime());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
