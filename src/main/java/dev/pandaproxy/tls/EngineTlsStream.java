package dev.pandaproxy.tls;

import dev.pandaproxy.net.Sockets;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection driven by an {@link SSLEngine} over a plain socket, with blocking streams. It serves
 * where an {@code SSLSocket} falls short:
 *
 * <ul>
 * <li>Session resumption toward an FTPS data port. JSSE finds a resumable session by
 * {@code "<peer host>:<peer port>"}, and a socket's peer port is always its real one. An FTPS data connection
 * goes to a passive port, so an {@code SSLSocket} never offers the session of the control connection on port
 * 990, and printers (vsftpd with {@code require_ssl_reuse}) refuse the data connection. An engine created
 * with the control connection's host and port ({@code createSSLEngine(host, 990)}) looks the session up
 * under that key and resumes it.</li>
 * <li>Bulk data. An {@code SSLSocket} sends every TLS record (at most 16 KiB) with a system call of its own
 * and reads each with two. Here one write is encrypted into a batch of up to {@link #WRITE_BATCH_RECORDS}
 * records that leaves in one call, and a read takes whatever has arrived: on loopback and LAN links the
 * per-call and per-segment work of the kernel, not the encryption, is what a camera fan-out or a file
 * transfer spends most of its time on.</li>
 * </ul>
 *
 * <p>An EOF without {@code close_notify} ends the input like a clean close (as the printer's own FTP
 * server treats it); {@link #close()} sends {@code close_notify}, {@link #abort()} does not.
 */
public final class EngineTlsStream implements AutoCloseable {
    /**
     * Records encrypted into one socket write at most: about 48 KiB, which still leaves as one TCP segment on
     * loopback (64 KiB); four records overflow into a second, tiny segment per write and measurably cost more
     * (BENCHMARKS.md), and on a LAN the network card cuts segments anyway.
     */
    static final int WRITE_BATCH_RECORDS = 3;

    /**
     * Write batches kept for reuse. A batch is needed only while a write is being encrypted and sent, so the streams
     * share them instead of each holding ~50 KB for its lifetime (200 camera viewers held 10 MB); a write finding
     * none free allocates one, and only this many are kept.
     */
    private static final int POOLED_WRITE_BATCHES = 16;

    private static final Queue<ByteBuffer> WRITE_BATCHES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();
    /** No decrypted input held: the buffer for it exists only while small reads consume a record. */
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ByteBuffer netIn;
    /** Decrypted input for reads smaller than a record, in read mode; {@link #NO_INPUT} while none is held. */
    private ByteBuffer appIn = NO_INPUT;

    private final InputStream in = new Input();
    private final OutputStream out = new Output();
    private boolean inputClosed;

    private EngineTlsStream(Socket socket, SSLEngine engine, int readRecords) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.rawIn = socket.getInputStream();
        this.rawOut = socket.getOutputStream();
        SSLSession session = engine.getSession();
        // room for several records: one socket read then feeds several unwraps (bulk transfers)
        this.netIn = ByteBuffer.allocate(readRecords * session.getPacketBufferSize());
    }

    /**
     * Completes a client handshake on {@code connected}, resuming the session that {@code context} holds
     * for {@code sessionHost}:{@code sessionPort} if there is one.
     */
    public static EngineTlsStream connect(Socket connected, SSLContext context, String sessionHost, int sessionPort)
            throws IOException {
        SSLEngine engine = context.createSSLEngine(sessionHost, sessionPort);
        engine.setUseClientMode(true);
        TlsPolicy.configureToPrinter(engine);
        EngineTlsStream stream = new EngineTlsStream(connected, engine, 4);
        stream.handshake();
        return stream;
    }

    /**
     * Completes a server handshake on {@code accepted} with the client-facing protocols and suites.
     *
     * @param suites      the suites the port offers
     * @param readRecords records of input buffered at most: 1 for peers that send little (camera viewers),
     *                    more for uploads
     */
    public static EngineTlsStream accept(
            Socket accepted, SSLContext context, TlsPolicy.ClientSuites suites, int readRecords) throws IOException {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        TlsPolicy.configureServer(engine, suites);
        EngineTlsStream stream = new EngineTlsStream(accepted, engine, readRecords);
        stream.handshake();
        return stream;
    }

    public InputStream inputStream() {
        return in;
    }

    public OutputStream outputStream() {
        return out;
    }

    /**
     * Writes the parts, each beginning a TLS record of its own, in as few socket writes as a batch allows.
     * For a peer that reads a small part by its record, e.g. a chamber camera frame's 16-byte header, without
     * paying a socket write (and the peer a wake-up) for that part alone.
     */
    public void writeSeparately(byte[]... parts) throws IOException {
        ByteBuffer[] sources = new ByteBuffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sources[i] = ByteBuffer.wrap(parts[i]);
        }
        writeLock.lock();
        try {
            wrap(sources);
        } finally {
            writeLock.unlock();
        }
    }

    public SSLSession session() {
        return engine.getSession();
    }

    /** Sends {@code close_notify} and half-closes the socket: the peer sees a clean end of the data. */
    public void closeOutput() throws IOException {
        writeLock.lock();
        try {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                while (!engine.isOutboundDone()) {
                    wrap(ByteBuffer.allocate(0));
                }
                socket.shutdownOutput();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** A clean close: {@code close_notify}, then the socket. */
    @Override
    public void close() throws IOException {
        try {
            closeOutput();
        } finally {
            socket.close();
        }
    }

    /** Ends the connection without {@code close_notify}, so the peer cannot take it for a complete transfer. */
    public void abort() {
        Sockets.abort(socket);
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_WRAP -> {
                    writeLock.lock();
                    try {
                        wrap(ByteBuffer.allocate(0));
                    } finally {
                        writeLock.unlock();
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    readLock.lock();
                    try {
                        if (!unwrapOnce()) {
                            throw new EOFException("connection closed during the TLS handshake");
                        }
                    } finally {
                        readLock.unlock();
                    }
                }
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                }
                default -> {
                    if (!appIn.hasRemaining()) {
                        appIn = NO_INPUT; // the handshake's buffer, until a small read needs one
                    }
                    return; // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    /**
     * Encrypts each source (all of it), every one starting a record of its own, and writes the records, a
     * batch of them per socket write. Caller holds the write lock.
     */
    private void wrap(ByteBuffer... sources) throws IOException {
        int recordRoom = engine.getSession().getPacketBufferSize();
        ByteBuffer netOut = takeWriteBatch(WRITE_BATCH_RECORDS * recordRoom);
        try {
            wrap(sources, netOut, recordRoom);
        } finally {
            returnWriteBatch(netOut);
        }
    }

    private void wrap(ByteBuffer[] sources, ByteBuffer netOut, int recordRoom) throws IOException {
        for (int i = 0; i < sources.length; i++) {
            ByteBuffer source = sources[i];
            boolean last = i == sources.length - 1;
            boolean closed;
            boolean done;
            do {
                SSLEngineResult result = engine.wrap(source, netOut);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new SSLException("TLS record larger than the packet buffer");
                }
                closed = result.getStatus() == SSLEngineResult.Status.CLOSED;
                runTasks(result);
                done = closed || !source.hasRemaining();
                if (netOut.remaining() < recordRoom || done && (last || closed)) {
                    rawOut.write(netOut.array(), 0, netOut.position());
                    netOut.clear();
                }
            } while (!done);
            if (closed) {
                break;
            }
        }
        rawOut.flush();
    }

    /**
     * Decrypts further records already received into {@code target} (in write mode), without waiting for
     * the network, while it has room for a whole record. Caller holds the read lock.
     */
    private void unwrapBuffered(ByteBuffer target) throws IOException {
        int recordData = engine.getSession().getApplicationBufferSize();
        while (netIn.position() > 0 && target.remaining() >= recordData) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, target);
            } finally {
                netIn.compact();
            }
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesProduced() == 0) {
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    inputClosed = true;
                }
                return;
            }
        }
    }

    /**
     * Decrypts what arrives into {@code target} (in write mode) until the engine produced application data
     * or made handshake progress. Caller holds the read lock. Returns false at the end of the input.
     */
    private boolean unwrapOnce(ByteBuffer target) throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result;
            try {
                result = engine.unwrap(netIn, target);
            } finally {
                netIn.compact();
            }
            runTasks(result);
            switch (result.getStatus()) {
                case OK -> {
                    return true;
                }
                case CLOSED -> {
                    inputClosed = true;
                    return false;
                }
                case BUFFER_OVERFLOW -> throw new SSLException("TLS application data larger than the buffer");
                default -> {
                    // BUFFER_UNDERFLOW: a partial record; read more
                    if (!readFromNetwork()) {
                        return false;
                    }
                }
            }
        }
    }

    /**
     * Appends what the socket has to {@link #netIn} (in write mode), waiting for at least a byte. Returns false at
     * the end of the input: an EOF without {@code close_notify} is the end, as the printer treats it.
     */
    private boolean readFromNetwork() throws IOException {
        int n = rawIn.read(netIn.array(), netIn.position(), netIn.remaining());
        if (n < 0) {
            inputClosed = true;
            return false;
        }
        netIn.position(netIn.position() + n);
        return true;
    }

    private static ByteBuffer takeWriteBatch(int size) {
        ByteBuffer batch = WRITE_BATCHES.poll();
        if (batch == null) {
            return ByteBuffer.allocate(size);
        }
        POOLED.decrementAndGet();
        return batch.capacity() >= size ? batch.clear() : ByteBuffer.allocate(size);
    }

    private static void returnWriteBatch(ByteBuffer batch) {
        if (POOLED.incrementAndGet() <= POOLED_WRITE_BATCHES) {
            WRITE_BATCHES.offer(batch);
        } else {
            POOLED.decrementAndGet();
        }
    }

    /**
     * {@link #unwrapOnce(ByteBuffer)} into the stream's own buffer. Caller holds the read lock. Waits for input
     * before it takes that buffer, so a stream blocked on a peer that sends nothing (a camera viewer after its
     * login) holds none.
     */
    private boolean unwrapOnce() throws IOException {
        if (netIn.position() == 0 && !readFromNetwork()) {
            return false;
        }
        if (appIn == NO_INPUT) {
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize())
                    .flip();
        }
        appIn.compact();
        try {
            return unwrapOnce(appIn);
        } finally {
            appIn.flip();
        }
    }

    private void runTasks(SSLEngineResult result) {
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            readLock.lock();
            try {
                if (!appIn.hasRemaining() && length >= engine.getSession().getApplicationBufferSize()) {
                    return readDirect(buffer, offset, length);
                }
                while (!appIn.hasRemaining()) {
                    if (inputClosed || !unwrapOnce()) {
                        return -1;
                    }
                }
                if (!inputClosed && appIn.remaining() < length) {
                    appIn.compact();
                    try {
                        unwrapBuffered(appIn);
                    } finally {
                        appIn.flip();
                    }
                }
                int n = Math.min(length, appIn.remaining());
                appIn.get(buffer, offset, n);
                if (!appIn.hasRemaining()) {
                    appIn = NO_INPUT;
                }
                return n;
            } finally {
                readLock.unlock();
            }
        }

        /** A large read with nothing buffered: decrypts straight into the caller's array, one copy less. */
        private int readDirect(byte[] buffer, int offset, int length) throws IOException {
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
            while (target.position() == offset) {
                if (inputClosed || !unwrapOnce(target)) {
                    return -1;
                }
            }
            if (!inputClosed) {
                unwrapBuffered(target);
            }
            return target.position() - offset;
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            writeLock.lock();
            try {
                wrap(ByteBuffer.wrap(buffer, offset, length));
            } finally {
                writeLock.unlock();
            }
        }
    }
}
