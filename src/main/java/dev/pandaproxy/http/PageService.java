package dev.pandaproxy.http;

import dev.pandaproxy.doctor.Doctor;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.rtsp.MediaMtxConfig;
import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStats;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The page ({@code /}, HTTPS only, the camera's credentials): static files from the jar, the live state as
 * server-sent events ({@code /page/events}), the doctor's checks ({@code POST /page/doctor}) and, for RTSP printers,
 * MediaMTX's HLS stream relayed from loopback ({@code /page/hls/...}).
 */
final class PageService implements HttpService {
    private static final System.Logger LOG = System.getLogger(PageService.class.getName());
    /** Every file the page is made of; nothing else under {@code /page/} is served. */
    private static final Map<String, String> FILES = Map.of(
            "app.js", "text/javascript; charset=UTF-8",
            "style.css", "text/css; charset=UTF-8",
            "icon.svg", "image/svg+xml",
            "hls.light.min.js", "text/javascript; charset=UTF-8",
            "hls.js-LICENSE.txt", "text/plain; charset=UTF-8");
    /** What MediaMTX's HLS muxer serves: playlists, segments and parts, named by itself. */
    private static final Pattern HLS_FILE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    /**
     * What MediaMTX's HLS server puts in a query: {@code cookieCheck=1}, the session ({@code session=<UUID>}, in every
     * URL of its playlists) and low-latency HLS's {@code _HLS_msn}, {@code _HLS_part} and {@code _HLS_skip}.
     */
    private static final Pattern HLS_QUERY = Pattern.compile("[A-Za-z0-9_=&.-]{0,200}");
    /** Where MediaMTX's HLS server has the stream's files: {@code /page/hls/<file>} is relayed to this + file. */
    private static final String HLS_UPSTREAM_DIRECTORY = "/" + MediaMtxConfig.PATH + "/";
    /** How often the event stream looks for a change; a change reaches the page within this. */
    private static final Duration TICK = Duration.ofMillis(250);
    /** A comment this often shows a gone browser to the server (writing fails) and keeps proxies from timing out. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /**
     * What the page shows besides its files.
     *
     * @param status  the proxy's status
     * @param printer the printer's merged MQTT state, when MQTT is proxied
     * @param doctor  runs the doctor's checks against this proxy
     * @param hls     MediaMTX's HLS listener on loopback, for an RTSP camera
     */
    record Sources(
            Supplier<ProxyStatus> status,
            Optional<Supplier<PrinterView>> printer,
            Supplier<List<Doctor.Result>> doctor,
            Optional<InetSocketAddress> hls) {}

    private final Sources sources;
    private final BasicAuth auth;
    private final ServiceStats stats;
    private final Semaphore streams;
    private final int maxStreams;
    /** One doctor run at a time: it logs in to every service and uploads a file. */
    private final Semaphore doctor = new Semaphore(1);

    /** Only for an RTSP camera: a client starts a selector thread and loads ~100 classes every other proxy spares. */
    private final Optional<HttpClient> mediaMtx;

    PageService(Sources sources, BasicAuth auth, ServiceStats stats, int maxStreams) {
        this.sources = sources;
        this.mediaMtx = sources.hls()
                .map(address -> HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build());
        this.auth = auth;
        this.stats = stats;
        this.streams = new Semaphore(maxStreams);
        this.maxStreams = maxStreams;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (request, response) -> file(request, response, "index.html", "text/html; charset=UTF-8"))
                .get("/page/events", this::events)
                .post("/page/doctor", this::doctor)
                .get("/page/hls/{file}", this::hls)
                .get("/page/{file}", (request, response) -> {
                    String name = request.path().pathParameters().get("file");
                    String type = FILES.get(name);
                    if (type == null) {
                        response.status(Status.NOT_FOUND_404).send();
                    } else {
                        file(request, response, name, type);
                    }
                });
    }

    private void file(ServerRequest request, ServerResponse response, String name, String type) throws IOException {
        if (!auth.admit(request, response)) {
            return;
        }
        try (InputStream in = Objects.requireNonNull(PageService.class.getResourceAsStream("/page/" + name), name)) {
            response.header(HeaderNames.CONTENT_TYPE, type)
                    .header(HeaderNames.CACHE_CONTROL, "no-cache")
                    // nothing from elsewhere: the page works offline and injected markup could load nothing
                    .header(
                            HeaderNames.create("Content-Security-Policy"),
                            "default-src 'self'; img-src 'self' data:; "
                                    + "media-src 'self' blob:; worker-src 'self' blob:; style-src 'self'; frame-ancestors 'none'")
                    .header(HeaderNames.create("X-Content-Type-Options"), "nosniff")
                    .send(in.readAllBytes());
        }
    }

    /**
     * Server-sent events: {@code printer} (a {@link PrinterView}) and {@code proxy} (the status), each sent at the start
     * and whenever it changed.
     */
    private void events(ServerRequest request, ServerResponse response) throws InterruptedException {
        if (!auth.admit(request, response)) {
            return;
        }
        if (!streams.tryAcquire()) {
            stats.connectionRejected();
            response.status(Status.SERVICE_UNAVAILABLE_503)
                    .send("already " + maxStreams + " page event streams (http.max-streams)\n");
            return;
        }
        String peer = Peers.describe(request.remotePeer().address());
        stats.clientConnected(peer, Optional.empty());
        String lastPrinter = "";
        String lastProxy = "";
        long quietSince = System.nanoTime();
        try (SseSink sink =
                response.header(HeaderNames.CACHE_CONTROL, "no-store").sink(SseSink.TYPE)) {
            while (true) {
                String proxy = Json.text(Json.of(sources.status().get()));
                String printer = Json.text(Json.of(sources.printer().map(Supplier::get)));
                boolean sent = false;
                if (!printer.equals(lastPrinter)) {
                    sink.emit(SseEvent.builder().name("printer").data(printer).build());
                    lastPrinter = printer;
                    sent = true;
                }
                if (!proxy.equals(lastProxy)) {
                    sink.emit(SseEvent.builder().name("proxy").data(proxy).build());
                    lastProxy = proxy;
                    sent = true;
                }
                if (sent) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
                    sink.emit(SseEvent.builder().comment("alive").build());
                    quietSince = System.nanoTime();
                }
                Thread.sleep(TICK);
            }
        } catch (UncheckedIOException e) {
            LOG.log(Level.DEBUG, "page: {0}: event stream ended: {1}", peer, e.getMessage());
        } finally {
            streams.release();
            stats.clientDisconnected(peer);
        }
    }

    /** Runs the doctor's checks and answers one line per check. */
    private void doctor(ServerRequest request, ServerResponse response) throws IOException {
        if (!auth.admit(request, response)) {
            return;
        }
        if (!doctor.tryAcquire()) {
            response.status(Status.CONFLICT_409).send("the checks are already running\n");
            return;
        }
        try {
            List<Doctor.Result> results = sources.doctor().get();
            response.header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(Json.text(Json.of(results)));
        } finally {
            doctor.release();
        }
    }

    /**
     * MediaMTX's HLS stream, relayed as it is (never decoded): the browser's credentials, already checked here, are
     * those MediaMTX's user {@code bblp} has, so they are passed on. Cookies are not, either way: without its session
     * cookie MediaMTX names the session in the query of every URL of its playlists, which passes here as it is
     * (its sessions are bound to the client's address, and every request comes from this relay).
     */
    private void hls(ServerRequest request, ServerResponse response) throws IOException, InterruptedException {
        if (!auth.admit(request, response)) {
            return;
        }
        String file = request.path().pathParameters().get("file");
        String query = request.query().rawValue();
        if (sources.hls().isEmpty()
                || !HLS_FILE.matcher(file).matches()
                || !HLS_QUERY.matcher(query).matches()) {
            response.status(Status.NOT_FOUND_404).send();
            return;
        }
        HttpRequest.Builder upstream = HttpRequest.newBuilder(
                        URI.create("http://" + sources.hls().get().getHostString() + ":"
                                + sources.hls().get().getPort() + HLS_UPSTREAM_DIRECTORY + file
                                + (query.isEmpty() ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30));
        request.headers().first(HeaderNames.AUTHORIZATION).ifPresent(value -> upstream.header("Authorization", value));
        HttpResponse<InputStream> answer =
                mediaMtx.orElseThrow().send(upstream.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = answer.body()) {
            // MediaMTX answers the first request for a playlist with a redirect to the same file with
            // ?cookieCheck=1: that redirect, relative here, keeps the browser on this relay
            Optional<String> location = answer.headers().firstValue("location");
            if (location.isPresent() && !location.get().startsWith(HLS_UPSTREAM_DIRECTORY)) {
                LOG.log(
                        Level.WARNING,
                        "page: {0}: MediaMTX redirected an HLS request out of the stream''s directory",
                        request.remotePeer().address());
                response.status(Status.BAD_GATEWAY_502).send();
                return;
            }
            location.ifPresent(
                    target -> response.header(HeaderNames.LOCATION, target.substring(HLS_UPSTREAM_DIRECTORY.length())));
            response.status(Status.create(answer.statusCode())).header(HeaderNames.CACHE_CONTROL, "no-store");
            answer.headers()
                    .firstValue("content-type")
                    .ifPresent(type -> response.header(HeaderNames.CONTENT_TYPE, type));
            try (OutputStream out = response.outputStream()) {
                body.transferTo(out);
            }
        }
    }
}
