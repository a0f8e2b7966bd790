package dev.pandaproxy.rtsp;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.LoopbackPeer;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Relay;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.ServerIdentity;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;

/**
 * The RTSPS camera of X1/H2/P2 printers. ffmpeg pulls the printer's stream once and publishes it to
 * MediaMTX, which serves it over RTSPS on the proxy's RTSP port, at the printer's own path, with the
 * printer's credentials. The proxy terminates the printer's TLS itself (its trust rules apply, and
 * Debian's GnuTLS-based ffmpeg never meets the printers' TLS quirks) and hands ffmpeg plain RTSP on
 * loopback. Port 6000, which these printers use for the slicer's file browser, is relayed as raw TCP.
 */
public final class RtspCamera implements ProxiedService {
    private static final System.Logger LOG = System.getLogger(RtspCamera.class.getName());
    private static final String SERVICE = "camera";

    private final CameraConfig config;
    private final ServiceContext context;
    private final ServerIdentity identity;
    private final int rtspPort;
    private final int publishPort;
    private final int apiPort;
    private final int mediamtxRtspsPort;
    private final int hlsPort;
    private final int tunnelPort;
    private final Path workDir;
    private final ServiceStats stats = new ServiceStats();
    private final List<Supervised> children = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final AtomicLong bridged = new AtomicLong();
    private final Instant startedAt = Instant.now();
    private volatile String disabled;
    private volatile Secret publisherSecret;
    private volatile Supervised ffmpegChild;

    /**
     * @param context    its relay limits apply to the relayed ports; MediaMTX's configuration and certificate
     *                   files go to {@code rtsp} in the printer's state directory
     * @param identity   the certificate MediaMTX presents
     * @param rtspPort   the proxy's RTSPS port (clients); 0 picks a free one
     * @param tunnelPort the proxy's port 6000 (the file-browser tunnel)
     */
    public RtspCamera(
            CameraConfig config, ServiceContext context, ServerIdentity identity, int rtspPort, int tunnelPort) {
        this.config = config;
        this.context = context;
        this.identity = identity;
        // MediaMTX binds these itself, so "any free port" must be chosen here, where it can be reported
        this.rtspPort = rtspPort == 0 ? freePort() : rtspPort;
        this.publishPort =
                config.rtsp().publishPort() == 0 ? freePort() : config.rtsp().publishPort();
        this.apiPort = config.rtsp().apiPort() == 0 ? freePort() : config.rtsp().apiPort();
        this.mediamtxRtspsPort = config.rtsp().mediamtxRtspsPort() == 0
                ? freePort()
                : config.rtsp().mediamtxRtspsPort();
        this.hlsPort = config.rtsp().mediamtxHlsPort() == 0
                ? freePort()
                : config.rtsp().mediamtxHlsPort();
        this.tunnelPort = tunnelPort;
        this.workDir = context.printerDir().resolve("rtsp");
    }

    /** MediaMTX's HLS port on loopback, which the page relays to browsers. */
    public InetSocketAddress hlsAddress() {
        return new InetSocketAddress(config.rtsp().helperAddress(), hlsPort);
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        // "external": MediaMTX runs beside the proxy (a Kubernetes sidecar), set up from the same configuration
        boolean runMediaMtx = !CameraConfig.Rtsp.EXTERNAL.equals(config.rtsp().mediamtx());
        Optional<Path> ffmpeg = find(config.rtsp().ffmpeg());
        Optional<Path> mediamtx = runMediaMtx ? find(config.rtsp().mediamtx()) : Optional.empty();
        boolean ffmpegMissing = ffmpeg.isEmpty();
        boolean mediamtxMissing = runMediaMtx && mediamtx.isEmpty();
        if (ffmpegMissing || mediamtxMissing) {
            disabled = (ffmpegMissing ? "ffmpeg (the ffmpeg package, or set camera.ffmpeg)" : "")
                    + (ffmpegMissing && mediamtxMissing ? " and " : "")
                    + (mediamtxMissing
                            ? "mediamtx (https://github.com/bluenviron/mediamtx releases, or set camera.mediamtx)"
                            : "")
                    + " not found: the RTSP camera is off; the other services run";
            LOG.log(Level.WARNING, "{0}: {1}", SERVICE, disabled);
            return;
        }
        if (!LoopbackPeer.supported()) {
            LOG.log(
                    Level.WARNING,
                    "{0}: this system cannot tell which process connects on loopback: the relays that give "
                            + "ffmpeg its credentials serve any local process",
                    SERVICE);
        }
        Secret publisherSecret = config.rtsp().publisherPassword().orElseGet(() -> Secret.random(16));
        this.publisherSecret = publisherSecret;
        // the slicer's file browser on port 6000: raw TCP, one printer connection per client
        // (TLS, so the client speaks first: a client that says nothing costs no printer connection)
        listeners.add(Listener.start(
                new Listener.Spec(
                        "camera-tunnel",
                        "proxy.ports.chamber",
                        context.bindAddress(),
                        tunnelPort,
                        context.relay().maxClients(),
                        stats::connectionRejected),
                ServerSocket::new,
                context.relayToPrinter(
                        "camera-tunnel", context.printer().ports().chamber(), Relay.FirstWord.CLIENT, stats)));
        // clients' RTSPS connections, relayed raw to MediaMTX on loopback: the proxy holds the (privileged) port,
        // so MediaMTX needs no privilege, and the proxy's connection limit applies
        listeners.add(Listener.start(
                new Listener.Spec(
                        "camera",
                        "proxy.ports.rtsp",
                        context.bindAddress(),
                        rtspPort,
                        config.maxClients(),
                        stats::connectionRejected),
                ServerSocket::new,
                Relay.to(
                        "camera",
                        config.rtsp().helperAddress(),
                        mediamtxRtspsPort,
                        context.printer().connectTimeout(),
                        context.relay(),
                        Relay.FirstWord.CLIENT,
                        stats)));
        // ffmpeg's two loopback connections, each through a relay that adds the credentials ffmpeg does not hold
        Listener bridge = Listener.start(
                new Listener.Spec(
                        "camera-bridge",
                        "camera.bridge-port",
                        "127.0.0.1",
                        config.rtsp().bridgePort(),
                        4,
                        () -> {}),
                ServerSocket::new,
                local -> fromOurFfmpeg(local, this::bridgeToPrinter));
        listeners.add(bridge);
        Listener publish = Listener.start(
                new Listener.Spec("camera-publish", "camera.publish-port", "127.0.0.1", 0, 4, () -> {}),
                ServerSocket::new,
                local -> fromOurFfmpeg(local, this::publishToMediaMtx));
        listeners.add(publish);
        try {
            Path config = writeMediaMtxFiles(publisherSecret);
            if (mediamtx.isPresent()) {
                children.add(new Supervised(
                        "mediamtx",
                        List.of(mediamtx.get().toString(), config.toString()),
                        List.of(context.printer().accessCode(), publisherSecret),
                        context.printer().reconnect()));
            } else {
                LOG.log(Level.INFO, "{0}: MediaMTX runs beside the proxy", SERVICE);
            }
        } catch (IOException e) {
            disabled = "cannot write MediaMTX's configuration in " + workDir + ": " + e.getMessage();
            LOG.log(Level.WARNING, "{0}: {1}", SERVICE, disabled);
            return;
        }
        // restarted with backoff whenever it exits (a printer switched off for the night): it never takes the proxy
        // down
        ffmpegChild = new Supervised(
                "ffmpeg",
                FfmpegCommand.arguments(
                        ffmpeg.get().toString(),
                        bridge.port(),
                        publish.port(),
                        config.rtsp().model()),
                List.of(context.printer().accessCode(), publisherSecret),
                context.printer().reconnect());
        children.add(ffmpegChild);
        children.forEach(Supervised::start);
    }

    @Override
    public ServiceStatus status() {
        Optional<JsonObject> path = disabled == null ? pathState() : Optional.empty();
        // "online" since MediaMTX 1.16; "ready" before it (deprecated since)
        boolean ready = path.map(p -> Json.asText(p.containsKey("online") ? p.value("online") : p.value("ready")))
                .filter("true"::equals)
                .isPresent();
        int readers = path.map(p -> Json.elements(p.value("readers")).size()).orElse(0);
        UpstreamState state =
                disabled != null ? UpstreamState.STOPPED : ready ? UpstreamState.CONNECTED : UpstreamState.CONNECTING;
        long restarts = children.stream().mapToLong(Supervised::restarts).sum();
        return new ServiceStatus(
                SERVICE,
                context.bindAddress() + ":" + rtspPort,
                readers,
                stats.connected(),
                Optional.of(new UpstreamStatus(
                        context.printer().host() + ":"
                                + context.printer().ports().rtsp(),
                        state,
                        startedAt,
                        Optional.ofNullable(disabled),
                        bridged.get(),
                        restarts)),
                stats.counters());
    }

    /** The RTSPS port clients use (MediaMTX listens on it). */
    public int port() {
        return rtspPort;
    }

    /** The port of the slicer's file-browser tunnel (the printer's 6000), once started. */
    public int tunnelPort() {
        return listeners.isEmpty() ? -1 : listeners.getFirst().port();
    }

    /** MediaMTX's plain RTSP port on loopback, where ffmpeg publishes. */
    public int publishPort() {
        return publishPort;
    }

    /** The supervised helpers, ffmpeg and MediaMTX. */
    public List<Supervised> children() {
        return List.copyOf(children);
    }

    @Override
    public void close() {
        children.forEach(Supervised::close);
        listeners.forEach(Listener::close);
    }

    /** MediaMTX's view of the printer's path, from its API on loopback. */
    private Optional<JsonObject> pathState() {
        try {
            Secret secret = publisherSecret;
            if (secret == null) {
                return Optional.empty();
            }
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + config.rtsp().helperAddress() + ":" + apiPort
                                    + "/v3/paths/get/" + MediaMtxConfig.PATH))
                            .timeout(Duration.ofSeconds(1))
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString(
                                                            (FfmpegCommand.PUBLISHER + ":" + secret.revealText())
                                                                    .getBytes(StandardCharsets.UTF_8)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Json.parseObject(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A loopback connection for one of ffmpeg's relays: served only when it comes from the ffmpeg this proxy started
     * (another local process would get the printer's stream, or publish into MediaMTX, with our credentials).
     */
    private void fromOurFfmpeg(Socket local, Listener.Handler relay) throws IOException {
        Supervised child = ffmpegChild;
        Optional<ProcessHandle> process = child == null ? Optional.empty() : child.process();
        boolean ours = process.flatMap(p -> LoopbackPeer.isFrom(local, p)).orElse(!LoopbackPeer.supported());
        if (!ours) {
            LOG.log(
                    Level.WARNING,
                    "{0}: refused a loopback connection from {1}: not the proxy''s ffmpeg",
                    SERVICE,
                    Peers.describe(local));
            Sockets.abort(local);
            return;
        }
        relay.handle(local);
    }

    /** ffmpeg's publishing connection, relayed to MediaMTX with the publisher's credentials added. */
    private void publishToMediaMtx(Socket local) throws IOException {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(config.rtsp().helperAddress(), publishPort), (int)
                    context.printer().connectTimeout().toMillis());
        } catch (IOException e) {
            Sockets.abort(upstream);
            throw e;
        }
        try {
            Relay.run(
                    "camera-publish",
                    local,
                    upstream,
                    RtspAuthorization.basic(FfmpegCommand.PUBLISHER, publisherSecret),
                    new AtomicLong(),
                    new AtomicLong());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ffmpeg's connection, relayed to the printer's RTSPS port over TLS under the printer trust, the access code added. */
    private void bridgeToPrinter(Socket local) throws IOException {
        SSLSocket upstream = TlsPolicy.configureToPrinter(
                (SSLSocket) context.toPrinter().getSocketFactory().createSocket());
        try {
            upstream.connect(
                    new InetSocketAddress(
                            context.printer().host(), context.printer().ports().rtsp()),
                    (int) context.printer().connectTimeout().toMillis());
            upstream.startHandshake();
        } catch (IOException e) {
            Sockets.abort(upstream);
            LOG.log(Level.WARNING, "{0}: cannot reach the printer''s RTSPS port: {1}", SERVICE, e.getMessage());
            throw e;
        }
        bridged.incrementAndGet();
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        try {
            Relay.run(
                    "camera-bridge",
                    local,
                    upstream,
                    RtspAuthorization.basic("bblp", context.printer().accessCode()),
                    up,
                    down);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stats.received(down.get());
            stats.carried(up.get(), down.get());
        }
    }

    private Path writeMediaMtxFiles(Secret publisherSecret) throws IOException {
        Files.createDirectories(workDir);
        Path certificate = workDir.resolve("rtsps.pem");
        Path key = workDir.resolve("rtsps-key.pem");
        identity.writePemFiles(certificate, key);
        Path config = workDir.resolve("mediamtx.yml");
        // it holds the access code: readable by the owner only
        Pem.write(
                config,
                MediaMtxConfig.yaml(new MediaMtxConfig.Inputs(
                        this.config.rtsp().helperAddress(),
                        mediamtxRtspsPort,
                        publishPort,
                        apiPort,
                        hlsPort,
                        certificate.toString(),
                        key.toString(),
                        context.printer().accessCode(),
                        FfmpegCommand.PUBLISHER,
                        publisherSecret)),
                true);
        return config;
    }

    /** A program given by path, or found on PATH. */
    static Optional<Path> find(String program) {
        if (program.contains(File.separator)) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on this machine", e);
        }
    }
}
