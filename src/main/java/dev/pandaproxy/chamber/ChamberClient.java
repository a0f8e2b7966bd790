package dev.pandaproxy.chamber;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.tls.EngineTlsStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * A chamber camera viewer: connects over TLS, logs in as {@code bblp}, reads frames. The proxy uses it
 * toward the printer; tests, benchmarks and diagnostics use it toward the proxy. Frames are bulk data, so
 * the connection is an {@link EngineTlsStream}, which reads whatever records have arrived at once.
 */
public final class ChamberClient implements AutoCloseable {
    private final Socket socket;
    private final EngineTlsStream tls;
    private final InputStream in;
    private final int maxFrameBytes;

    private ChamberClient(Socket socket, EngineTlsStream tls, int maxFrameBytes) {
        this.socket = socket;
        this.tls = tls;
        this.in = tls.inputStream();
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Connects, completes the TLS handshake and sends the login.
     *
     * @param timeout       connect, handshake and (initial) read timeout
     * @param maxFrameBytes larger frames are a protocol error
     */
    public static ChamberClient connect(
            SSLContext context, String host, int port, Secret accessCode, Duration timeout, int maxFrameBytes)
            throws IOException {
        Socket socket = new Socket();
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            EngineTlsStream tls = EngineTlsStream.connect(socket, context, host, port);
            tls.outputStream().write(ChamberCodec.encodeLogin("bblp", accessCode.revealBytes()));
            return new ChamberClient(socket, tls, maxFrameBytes);
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
        byte[] header = readHeader();
        byte[] jpeg = new byte[ChamberCodec.decodeFrameHeader(header, maxFrameBytes)];
        readJpeg(jpeg, jpeg.length);
        return new ChamberFrame(header, jpeg, System.nanoTime());
    }

    /**
     * The next frame's JPEG, read into {@code buffer} rather than an array of its own: for readers that keep
     * no frame, such as the benchmark's hundreds of viewers, whose garbage would otherwise be what it measures.
     *
     * @return the JPEG's length
     * @throws ChamberProtocolException also when the frame is longer than {@code buffer}
     * @see #readFrame()
     */
    public int readFrameInto(byte[] buffer) throws IOException {
        int length = ChamberCodec.decodeFrameHeader(readHeader(), maxFrameBytes);
        if (length > buffer.length) {
            throw new ChamberProtocolException(
                    "a " + length + "-byte frame does not fit the " + buffer.length + "-byte buffer");
        }
        readJpeg(buffer, length);
        return length;
    }

    private byte[] readHeader() throws IOException {
        byte[] header = in.readNBytes(ChamberCodec.HEADER_BYTES);
        if (header.length == 0) {
            throw new EOFException("connection closed");
        }
        if (header.length < ChamberCodec.HEADER_BYTES) {
            throw new ChamberProtocolException("connection closed inside a frame header");
        }
        return header;
    }

    private void readJpeg(byte[] buffer, int length) throws IOException {
        int read = in.readNBytes(buffer, 0, length);
        if (read < length) {
            throw new ChamberProtocolException(
                    "connection closed inside a frame (" + read + " of " + length + " bytes)");
        }
        ChamberCodec.checkJpeg(buffer, length);
    }

    @Override
    public void close() throws IOException {
        tls.close();
    }
}
