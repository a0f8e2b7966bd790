package dev.pandaproxy.sim;

import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The simulated printer's RTSPS camera (port 322): {@code /streaming/live/1}, user {@code bblp} and the
 * access code, H.264 over RTP interleaved in the RTSP TCP connection, as X1/H2/P2 printers serve it.
 * The video is a test pattern that ffmpeg encodes once into the state directory; without ffmpeg the
 * simulated printer has no RTSP camera.
 */
public final class SimulatedRtsp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedRtsp.class.getName());
    private static final String PATH = "/streaming/live/1";
    private static final int MAX_RTP_PAYLOAD = 1400;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final SimulatorConfig config;
    private final SSLContext context;
    private final AtomicInteger plays = new AtomicInteger();
    private List<List<byte[]>> accessUnits;
    private byte[] sps;
    private byte[] pps;
    private Listener listener;

    SimulatedRtsp(SimulatorConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
    }

    void start() throws IOException {
        Path video = config.stateDir().resolve("test-pattern.h264");
        if (!Files.exists(video) && !encodeTestPattern(video)) {
            LOG.log(Level.WARNING, "sim-rtsp: ffmpeg is not installed: the simulated printer has no RTSP camera");
            return;
        }
        parse(Files.readAllBytes(video));
        listener = Listener.start(
                new Listener.Spec(
                        "sim-rtsp",
                        "printer.ports.rtsp",
                        config.bind(),
                        config.ports().rtsp(),
                        8,
                        () -> {}),
                () -> TlsPolicy.newServerSocket(context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                this::serve);
    }

    /** The bound port; -1 when there is no RTSP camera (ffmpeg missing). */
    public int port() {
        return listener == null ? -1 : listener.port();
    }

    /** PLAY requests served so far. */
    public int plays() {
        return plays.get();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }

    private boolean encodeTestPattern(Path video) throws IOException {
        Files.createDirectories(video.getParent());
        Path partial = video.resolveSibling(video.getFileName() + ".part");
        int fps = (int) Math.max(1, Math.round(config.camera().fps()));
        List<String> command = List.of(
                "ffmpeg",
                "-v",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=" + config.camera().width() + "x"
                        + config.camera().height() + ":rate=" + fps,
                "-t",
                "4",
                "-c:v",
                "libx264",
                "-profile:v",
                "baseline",
                "-pix_fmt",
                "yuv420p",
                "-g",
                String.valueOf(fps),
                "-bf",
                "0",
                "-f",
                "h264",
                partial.toString());
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("ffmpeg could not encode the test pattern: " + output);
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("ffmpeg could not")) {
                throw e;
            }
            return false; // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Files.move(partial, video);
        return true;
    }

    /** Splits Annex B into NAL units, and those into access units (one slice per picture, as encoded above). */
    private void parse(byte[] annexB) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 3 <= annexB.length; i++) {
            boolean startCode = annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1;
            if (startCode) {
                if (start >= 0) {
                    int end = i > 0 && annexB[i - 1] == 0 ? i - 1 : i;
                    nals.add(Arrays.copyOfRange(annexB, start, end));
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0) {
            nals.add(Arrays.copyOfRange(annexB, start, annexB.length));
        }
        accessUnits = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        for (byte[] nal : nals) {
            int type = nal[0] & 0x1F;
            if (type == 7) {
                sps = nal;
            } else if (type == 8) {
                pps = nal;
            }
            pending.add(nal);
            if (type == 1 || type == 5) {
                accessUnits.add(pending);
                pending = new ArrayList<>();
            }
        }
    }

    private void serve(Socket raw) throws IOException {
        SSLSocket socket = (SSLSocket) raw;
        String peer = Peers.describe(socket);
        try (Deadline deadline = Deadline.abortAfter(Duration.ofSeconds(10), socket)) {
            socket.startHandshake();
        }
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        ReentrantLock writeLock = new ReentrantLock();
        Thread streamer = null;
        String session = HexFormat.of()
                .formatHex(new byte[] {(byte) ThreadLocalRandom.current().nextInt(), 1, 2, 3});
        try {
            while (true) {
                in.mark(1);
                int first = in.read();
                if (first < 0) {
                    return;
                }
                if (first == '$') { // RTCP from the client, interleaved: skip it
                    in.read();
                    int length = (in.read() << 8) | in.read();
                    in.skipNBytes(length);
                    continue;
                }
                in.reset();
                Map<String, String> request = readRequest(in);
                String[] line = request.get("").split(" ");
                String method = line[0];
                String url = line.length > 1 ? line[1] : "";
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("CSeq", request.getOrDefault("cseq", "0"));
                if (!method.equals("OPTIONS") && !authorized(request.get("authorization"))) {
                    headers.put("WWW-Authenticate", "Basic realm=\"Bambu\"");
                    respond(out, writeLock, "401 Unauthorized", headers, null);
                    continue;
                }
                if (!method.equals("OPTIONS") && !url.contains(PATH)) {
                    respond(out, writeLock, "404 Not Found", headers, null);
                    continue;
                }
                switch (method) {
                    case "OPTIONS" -> {
                        headers.put("Public", "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER");
                        respond(out, writeLock, "200 OK", headers, null);
                    }
                    case "DESCRIBE" -> {
                        headers.put("Content-Base", "rtsps://" + config.bind() + ":" + port() + PATH + "/");
                        headers.put("Content-Type", "application/sdp");
                        respond(out, writeLock, "200 OK", headers, sdp());
                    }
                    case "SETUP" -> {
                        headers.put("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
                        headers.put("Session", session + ";timeout=60");
                        respond(out, writeLock, "200 OK", headers, null);
                    }
                    case "PLAY" -> {
                        headers.put("Session", session);
                        respond(out, writeLock, "200 OK", headers, null);
                        if (streamer == null) {
                            plays.incrementAndGet();
                            LOG.log(Level.INFO, "sim-rtsp: streaming to {0}", peer);
                            streamer =
                                    Thread.ofVirtual().name("sim-rtsp-" + peer).start(() -> stream(out, writeLock));
                        }
                    }
                    case "TEARDOWN" -> {
                        respond(out, writeLock, "200 OK", headers, null);
                        return;
                    }
                    case "GET_PARAMETER" -> respond(out, writeLock, "200 OK", headers, null);
                    default -> respond(out, writeLock, "405 Method Not Allowed", headers, null);
                }
            }
        } finally {
            if (streamer != null) {
                streamer.interrupt();
            }
        }
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded =
                new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon > 0
                && decoded.substring(0, colon).equals("bblp")
                && config.accessCode().matches(decoded.substring(colon + 1));
    }

    private byte[] sdp() {
        String profile = HexFormat.of().formatHex(Arrays.copyOfRange(sps, 1, 4));
        return ("v=0\r\no=- 0 0 IN IP4 " + config.bind()
                        + "\r\ns=PandaProxy simulated printer\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                        + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                        + "a=fmtp:96 packetization-mode=1;profile-level-id=" + profile + ";sprop-parameter-sets="
                        + Base64.getEncoder().encodeToString(sps) + ","
                        + Base64.getEncoder().encodeToString(pps) + "\r\n"
                        + "a=control:trackID=0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** RTP over the RTSP connection (channel 0): each NAL unit whole, or in FU-A fragments. */
    private void stream(OutputStream out, ReentrantLock writeLock) {
        int ssrc = ThreadLocalRandom.current().nextInt();
        int sequence = ThreadLocalRandom.current().nextInt(1 << 16);
        long timestamp = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;
        long frameNanos = (long) (1_000_000_000L / config.camera().fps());
        long ticks = Math.round(90_000 / config.camera().fps());
        long due = System.nanoTime();
        try {
            for (int frame = 0; ; frame++) {
                List<byte[]> unit = accessUnits.get(frame % accessUnits.size());
                for (int n = 0; n < unit.size(); n++) {
                    byte[] nal = unit.get(n);
                    boolean lastNal = n == unit.size() - 1;
                    if (nal.length <= MAX_RTP_PAYLOAD) {
                        sendRtp(out, writeLock, rtp(ssrc, sequence++, timestamp, lastNal, nal, 0, nal.length, null));
                    } else {
                        byte indicator = (byte) ((nal[0] & 0xE0) | 28);
                        for (int offset = 1; offset < nal.length; offset += MAX_RTP_PAYLOAD) {
                            int length = Math.min(MAX_RTP_PAYLOAD, nal.length - offset);
                            boolean first = offset == 1;
                            boolean last = offset + length == nal.length;
                            byte header = (byte) ((first ? 0x80 : 0) | (last ? 0x40 : 0) | (nal[0] & 0x1F));
                            sendRtp(
                                    out,
                                    writeLock,
                                    rtp(ssrc, sequence++, timestamp, lastNal && last, nal, offset, length, new byte[] {
                                        indicator, header
                                    }));
                        }
                    }
                }
                timestamp = (timestamp + ticks) & 0xFFFFFFFFL;
                due += frameNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the viewer left
        }
    }

    private static byte[] rtp(
            int ssrc,
            int sequence,
            long timestamp,
            boolean marker,
            byte[] nal,
            int offset,
            int length,
            byte[] fuHeader) {
        int prefix = fuHeader == null ? 0 : fuHeader.length;
        byte[] packet = new byte[12 + prefix + length];
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((marker ? 0x80 : 0) | 96);
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        for (int i = 0; i < 4; i++) {
            packet[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            packet[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        if (fuHeader != null) {
            System.arraycopy(fuHeader, 0, packet, 12, prefix);
        }
        System.arraycopy(nal, offset, packet, 12 + prefix, length);
        return packet;
    }

    private static void sendRtp(OutputStream out, ReentrantLock writeLock, byte[] packet) throws IOException {
        byte[] frame = new byte[4 + packet.length];
        frame[0] = '$';
        frame[1] = 0;
        frame[2] = (byte) (packet.length >> 8);
        frame[3] = (byte) packet.length;
        System.arraycopy(packet, 0, frame, 4, packet.length);
        writeLock.lock();
        try {
            out.write(frame);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    private static void respond(
            OutputStream out, ReentrantLock writeLock, String status, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder text = new StringBuilder("RTSP/1.0 ").append(status).append("\r\n");
        headers.forEach(
                (name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        text.append("\r\n");
        writeLock.lock();
        try {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** The request line (under key "") and the headers (lower-case names); a body is skipped. */
    private static Map<String, String> readRequest(InputStream in) throws IOException {
        Map<String, String> request = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0 || ++total > MAX_HEADER_BYTES) {
                throw new IOException("request ended early or too long");
            }
            if (b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            line.reset();
            if (text.isEmpty()) {
                if (request.isEmpty()) {
                    continue; // stray line breaks between requests
                }
                break;
            }
            if (!request.containsKey("")) {
                request.put("", text);
            } else {
                int colon = text.indexOf(':');
                if (colon > 0) {
                    request.put(
                            text.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            text.substring(colon + 1).strip());
                }
            }
        }
        int length = Integer.parseInt(request.getOrDefault("content-length", "0"));
        in.skipNBytes(Math.min(length, MAX_HEADER_BYTES));
        return request;
    }
}
