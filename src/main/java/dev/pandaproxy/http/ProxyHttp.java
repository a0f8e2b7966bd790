package dev.pandaproxy.http;

import dev.pandaproxy.chamber.FrameFeed;
import dev.pandaproxy.config.HttpConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.doctor.Doctor;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamStatus;
import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.json.JsonObject;
import io.helidon.service.registry.ServiceRegistryException;
import io.helidon.service.registry.Services;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The proxy's HTTP server: two listeners, plain HTTP for what needs no secret and HTTPS (the proxy's own
 * certificate, issued by the CA clients import) for everything.
 *
 * <pre>
 * /observe/health/live    the process runs                                                        (plain HTTP)
 * /observe/health/ready   every enabled service is accepting clients (printer reachability is in the details
 *                         and in /status: clients may connect and wait while the printer is away)  (plain HTTP)
 * /observe/metrics        Prometheus text                                                         (plain HTTP)
 * /status                 JSON snapshot                                                           (both)
 * /tls/ca.pem             the proxy CA                                                            (both)
 * /camera/snapshot.jpg    one JPEG      HTTPS; HTTP Basic bblp + access code unless http.camera-auth is false;
 * /camera/stream.mjpeg    MJPEG stream  over plain HTTP refused with the HTTPS URL unless http.plain-camera
 * /                       the page      (and /page/...: its files, events, the doctor, HLS), the same as the camera
 * </pre>
 */
public final class ProxyHttp implements AutoCloseable {
    /** The name of the HTTPS listener. */
    private static final String HTTPS = "https";

    /**
     * What the HTTP side serves.
     *
     * @param status          the proxy status
     * @param services        status of every enabled service (for metrics and readiness)
     * @param camera          the chamber camera, when it is enabled
     * @param ca              the proxy CA
     * @param tls             the proxy's server TLS context (its certificate), for HTTPS
     * @param accessCode      the camera endpoints' password
     * @param throttle        the failed-login throttle shared by every service
     * @param config          HTTP settings
     * @param snapshotTimeout how long a snapshot waits for a frame
     * @param cameraType      the printer's camera ({@code chamber}, {@code rtsp}, {@code none}), when the camera is enabled
     * @param printer         the printer's merged MQTT state, when MQTT is proxied
     * @param doctor          runs the doctor's checks against this proxy
     * @param hls             MediaMTX's HLS listener on loopback, for an RTSP camera
     */
    public record Parts(
            Supplier<ProxyStatus> status,
            List<Supplier<ServiceStatus>> services,
            Optional<FrameFeed> camera,
            X509Certificate ca,
            SSLContext tls,
            Secret accessCode,
            LoginThrottle throttle,
            HttpConfig config,
            Duration snapshotTimeout,
            Optional<String> cameraType,
            Optional<Supplier<JsonObject>> printer,
            Supplier<List<Doctor.Result>> doctor,
            Optional<InetSocketAddress> hls) {}

    static {
        // Helidon's components read a global configuration, by default made from application.* files in the working
        // directory, the environment and system properties: a stray application.yaml beside the proxy would change its
        // server and observers, which take their settings from the proxy's own configuration alone. (Also ~150 fewer
        // classes loaded.) Set once per JVM, before any Helidon component asks for it.
        try {
            Services.set(Config.class, Config.empty());
        } catch (ServiceRegistryException alreadyInUse) {
            // another Helidon component in this JVM asked for the global configuration first (tests)
        }
    }

    private final WebServer server;

    /**
     * Starts Helidon's service registry, ~0.15 s of the proxy's start-up, in this class's initializer (above): a proxy
     * calls this on another thread before it loads its TLS material and starts its services, which then overlap it.
     */
    public static void prepare() {
        // nothing more: a call runs the class initializer
    }

    private final List<Supplier<ServiceStatus>> ownServices;

    private ProxyHttp(String bindAddress, Parts parts) {
        ServiceStats httpCameraStats = new ServiceStats();
        ServiceStats pageStats = new ServiceStats();
        List<Supplier<ServiceStatus>> own = new ArrayList<>();
        if (parts.camera().isPresent()) {
            own.add(() -> httpCameraStats.status(
                    "camera-http",
                    bindAddress + ":" + httpsPort() + " (https), " + bindAddress + ":" + port(),
                    Optional.empty()));
        }
        own.add(() -> pageStats.status("page", bindAddress + ":" + httpsPort() + " (https)", Optional.empty()));
        this.ownServices = List.copyOf(own);
        List<Supplier<ServiceStatus>> metered = new ArrayList<>(parts.services());
        metered.addAll(ownServices);
        ObserveFeature observe = ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> readiness(parts.services()), HealthCheckType.READINESS, "services")
                        .build())
                .build();
        Optional<CameraService> camera = parts.camera()
                .map(feed -> new CameraService(
                        feed,
                        new BasicAuth(
                                "camera-http",
                                parts.accessCode(),
                                parts.config().cameraAuth(),
                                parts.throttle(),
                                httpCameraStats),
                        parts.snapshotTimeout(),
                        parts.config().maxStreams(),
                        httpCameraStats));
        PageService page = new PageService(
                new PageService.Sources(
                        parts.status(),
                        parts.printer().map(state -> () -> PrinterView.of(state.get())),
                        parts.doctor(),
                        parts.hls()),
                new BasicAuth("page", parts.accessCode(), parts.config().cameraAuth(), parts.throttle(), pageStats),
                pageStats,
                parts.config().maxStreams());
        HttpConfig config = parts.config();
        this.server = WebServer.builder()
                .host(bindAddress)
                .port(config.port())
                .update(listener -> limits(listener, config))
                .featuresDiscoverServices(false)
                .addFeature(observe)
                // the HTTPS port is asked for only when a request comes, once the server runs
                .routing(routing -> {
                    routing(routing, parts, camera, page, false, this::httpsPort);
                    routing.register(
                            MetricsService.PATH,
                            new MetricsService(() -> ProxyMetrics.snapshots(
                                    metered.stream().map(Supplier::get).toList(), parts.cameraType())));
                })
                .putSocket(
                        HTTPS,
                        listener -> limits(
                                listener.host(bindAddress)
                                        .port(config.httpsPort())
                                        // the JDK's default suites, which TlsPolicy set to ECDHE and TLS 1.3: browsers
                                        // and curl need
                                        // none of the plain-RSA suites some printer clients do
                                        .tls(tls -> tls.sslContext(parts.tls())),
                                config))
                .routing(HTTPS, routing -> routing(routing, parts, camera, page, true, this::httpsPort))
                .build()
                .start();
    }

    /** Starts the server on {@code bindAddress} and the configured ports. */
    public static ProxyHttp start(String bindAddress, Parts parts) {
        return new ProxyHttp(bindAddress, parts);
    }

    /** The bound plain HTTP port. */
    public int port() {
        return server.port();
    }

    /** The bound HTTPS port. */
    public int httpsPort() {
        return server.port(HTTPS);
    }

    /** Services the HTTP side runs itself (the camera over HTTP), for {@code /status}. */
    public List<ServiceStatus> services() {
        return ownServices.stream().map(Supplier::get).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * A connection cap and a deadline for each request line on a listener. Helidon closes a connection whose last
     * request line arrived longer than the idle timeout ago once it is waiting for the next one (a new connection
     * that sends nothing, a half-sent line, a kept-alive connection between requests); a response being streamed
     * (MJPEG) is never cut.
     */
    private static <B extends ListenerConfig.BuilderBase<B, ?>> B limits(B listener, HttpConfig config) {
        return listener.maxTcpConnections(config.maxConnections())
                // a request line is awaited for the idle timeout (Helidon's idle check), its headers for as long again
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder()
                        .addReceiveListener(new RequestHeadDeadline(config.idleTimeout()))
                        .build())
                .idleConnectionTimeout(config.idleTimeout())
                // the check runs this often; Helidon's default of 2 minutes would let the limit overrun by that much
                .idleConnectionPeriod(config.idleTimeout().dividedBy(4));
    }

    private static void routing(
            HttpRouting.Builder routing,
            Parts parts,
            Optional<CameraService> camera,
            PageService page,
            boolean secure,
            IntSupplier httpsPort) {
        routing.register("/status", new StatusService(parts.status())).register("/tls", new TlsService(parts.ca()));
        PlainHttpRefusal refusal = new PlainHttpRefusal(httpsPort);
        boolean serve = secure || parts.config().plainCamera();
        camera.ifPresent(service -> routing.register("/camera", serve ? service : refusal));
        if (serve) {
            routing.register(page);
        } else {
            routing.any("/", refusal::refuse).register("/page", refusal);
        }
    }

    private static HealthCheckResponse readiness(List<Supplier<ServiceStatus>> services) {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(true);
        for (Supplier<ServiceStatus> supplier : services) {
            ServiceStatus service = supplier.get();
            response.detail(
                    service.service(),
                    service.listen()
                            + service.upstream()
                                    .map(UpstreamStatus::state)
                                    .map(state -> ", printer " + state.name().toLowerCase())
                                    .orElse(""));
        }
        return response.build();
    }
}
