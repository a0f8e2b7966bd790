package dev.pandaproxy.sim;

import dev.pandaproxy.chamber.ChamberCodec;
import dev.pandaproxy.chamber.ChamberLogin;
import dev.pandaproxy.chamber.ChamberProtocolException;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The simulated chamber camera (port 6000); on a simulated RTSP printer, the file tunnel that printers
 * keep on this port (it echoes). Like a printer it streams to one viewer at a time: a second
 * viewer is closed right after its login, and a wrong access code gets a silent close. It remembers the
 * SHA-256 of the frames it sent, so tests can check what arrived at the other end of a proxy.
 */
public final class SimulatedChamberCamera implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedChamberCamera.class.getName());
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int HISTORY = 4096;

    private final SimulatorConfig config;
    private final SSLContext context;
    private final TestPattern pattern;
    private final AtomicBoolean streaming = new AtomicBoolean();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final AtomicLong rejectedLogins = new AtomicLong();
    private final AtomicLong nextSeq = new AtomicLong();
    private final Map<Long, String> sentDigests = new LinkedHashMap<>(HISTORY, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > HISTORY;
        }
    };
    private Listener listener;

    SimulatedChamberCamera(SimulatorConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
        SimulatorConfig.Camera camera = config.camera();
        this.pattern = new TestPattern(camera.width(), camera.height(), 24);
    }

    void start() {
        listener = Listener.start(
                new Listener.Spec(
                        "sim-camera",
                        "printer.ports.chamber",
                        config.bind(),
                        config.ports().chamber(),
                        16,
                        () -> {}),
                () -> TlsPolicy.newServerSocket(context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                this::serve);
    }

    public int port() {
        return listener.port();
    }

    /** Viewers that logged in and were streamed to. */
    public long sessions() {
        return sessions.get();
    }

    /** Viewers streaming right now (0 or 1). */
    public int activeSessions() {
        return streaming.get() ? 1 : 0;
    }

    /** Viewers refused because another one was streaming. */
    public long refusedBusy() {
        return refusedBusy.get();
    }

    /** Logins refused for a wrong access code or a malformed packet. */
    public long rejectedLogins() {
        return rejectedLogins.get();
    }

    /** SHA-256 (hex) of the header and image of frame {@code seq}, while it is among the last 4096 sent. */
    public Optional<String> sentDigest(long seq) {
        synchronized (sentDigests) {
            return Optional.ofNullable(sentDigests.get(seq));
        }
    }

    /** Frames sent so far. */
    public long framesSent() {
        return nextSeq.get();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }

    private void serve(Socket raw) throws IOException {
        SSLSocket socket = (SSLSocket) raw;
        String peer = Peers.describe(socket);
        byte[] packet;
        try (Deadline deadline = Deadline.abortAfter(LOGIN_TIMEOUT, socket)) {
            socket.startHandshake();
            packet = socket.getInputStream().readNBytes(ChamberCodec.LOGIN_BYTES);
        }
        if (!accepted(packet, peer)) {
            return;
        }
        if (config.camera().kind() == SimulatorConfig.Kind.RTSP) {
            // an X1/H2/P2 printer: port 6000 is the slicer's file tunnel, no JPEG stream; echo what comes
            LOG.log(Level.INFO, "sim-camera: {0} opened the file tunnel", peer);
            socket.getInputStream().transferTo(socket.getOutputStream());
            return;
        }
        if (!streaming.compareAndSet(false, true)) {
            refusedBusy.incrementAndGet();
            LOG.log(Level.INFO, "sim-camera: {0} refused: another viewer holds the camera", peer);
            return;
        }
        sessions.incrementAndGet();
        LOG.log(Level.INFO, "sim-camera: streaming to {0}", peer);
        // a viewer that closes is gone at once, as a printer sees its FIN: without this the slot stayed taken until a
        // frame's write failed (up to two frame intervals), and the proxy's camera, connecting right after its
        // detection probe left, was refused
        Thread streamer = Thread.currentThread();
        Thread.ofVirtual().name("sim-camera-eof").start(() -> closeOnEof(socket, streamer));
        try {
            stream(socket.getOutputStream());
        } finally {
            streaming.set(false);
            LOG.log(Level.INFO, "sim-camera: {0} left", peer);
        }
    }

    /** Ends the stream as soon as the viewer closes: the streamer is woken from its wait for the next frame. */
    private static void closeOnEof(SSLSocket socket, Thread streamer) {
        try {
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // closed by either side
        } finally {
            Sockets.abort(socket);
            streamer.interrupt();
        }
    }

    private boolean accepted(byte[] packet, String peer) {
        try {
            ChamberLogin login = ChamberCodec.decodeLogin(packet);
            Secret code = config.accessCode();
            if (code.matches(login.accessCode())) {
                return true;
            }
            LOG.log(Level.INFO, "sim-camera: {0} sent a wrong access code", peer);
        } catch (ChamberProtocolException e) {
            LOG.log(Level.INFO, "sim-camera: {0} sent a bad login: {1}", peer, e.getMessage());
        }
        rejectedLogins.incrementAndGet();
        return false;
    }

    private void stream(OutputStream out) throws IOException {
        long interval = (long) (1_000_000_000L / config.camera().fps());
        long due = System.nanoTime();
        MessageDigest sha256 = sha256();
        while (!Thread.currentThread().isInterrupted()) { // interrupted: the viewer left
            long seq = nextSeq.getAndIncrement();
            long sentMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            byte[] jpeg = pattern.frame(seq, sentMicros, config.camera().frameBytes());
            byte[] header = ChamberCodec.encodeFrameHeader(jpeg.length);
            sha256.update(header);
            String digest = HexFormat.of().formatHex(sha256.digest(jpeg));
            synchronized (sentDigests) {
                sentDigests.put(seq, digest);
            }
            // the printer writes the header as a TLS record of its own, then the image
            out.write(header);
            out.write(jpeg);
            due += interval;
            long now = System.nanoTime();
            if (now - due > interval) {
                due = now; // fell behind (slow reader): do not burst to catch up
            }
            LockSupport.parkNanos(due - now);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
