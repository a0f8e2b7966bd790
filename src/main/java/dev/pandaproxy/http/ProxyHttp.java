package dev.pandaproxy.http;

import dev.pandaproxy.chamber.FrameFeed;
import dev.pandaproxy.config.HttpConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamStatus;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The proxy's HTTP server.
 *
 * <pre>
 * /observe/health/live    the process runs
 * /observe/health/ready   every enabled service is accepting clients (printer reachability is in the details
 *                         and in /status: clients may connect and wait while the printer is away)
 * /observe/metrics        Prometheus text
 * /status                 JSON snapshot
 * /tls/ca.pem             the proxy CA
 * /camera/snapshot.jpg    one JPEG           (HTTP Basic bblp + access code unless http.camera-auth is false)
 * /camera/stream.mjpeg    MJPEG stream       (same)
 * </pre>
 */
public final class ProxyHttp implements AutoCloseable {
    /**
     * What the HTTP side serves.
     *
     * @param status          the proxy status
     * @param services        status of every enabled service (for metrics and readiness)
     * @param camera          the chamber camera, when it is enabled
     * @param ca              the proxy CA
     * @param accessCode      the camera endpoints' password
     * @param config          HTTP settings
     * @param snapshotTimeout how long a snapshot waits for a frame
     * @param cameraType      the printer's camera ({@code chamber}, {@code rtsp}, {@code none}), when the camera is enabled
     */
    public record Parts(Supplier<ProxyStatus> status, List<Supplier<ServiceStatus>> services, Optional<FrameFeed> camera,
                        X509Certificate ca, Secret accessCode, HttpConfig config, Duration snapshotTimeout,
                        Optional<String> cameraType) {
    }

    private static final String METRICS_PATH = "/observe/metrics";

    private final WebServer server;
    /** Set once the server runs; scrapes read it. */
    private volatile ProxyMetrics metrics;
    private final List<Supplier<ServiceStatus>> ownServices;

    private ProxyHttp(String bindAddress, Parts parts) {
        ServiceStats httpCameraStats = new ServiceStats();
        this.ownServices = parts.camera().isEmpty() ? List.of()
                : List.of(() -> new ServiceStatus("camera-http", bindAddress + ":" + port(),
                        httpCameraStats.clients(), Optional.empty(), httpCameraStats.counters()));
        List<Supplier<ServiceStatus>> metered = new ArrayList<>(parts.services());
        metered.addAll(ownServices);
        ObserveFeature observe = ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> readiness(parts.services()), HealthCheckType.READINESS, "services")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
        this.server = WebServer.builder()
                .host(bindAddress)
                .port(parts.config().port())
                .featuresDiscoverServices(false)
                .addFeature(observe)
                .routing(routing -> {
                    routing(routing, parts, httpCameraStats);
                    routing.addFilter((chain, request, response) -> {
                        // null only while starting, before the meters exist
                        ProxyMetrics scraped = this.metrics;
                        if (scraped != null && request.path().path().startsWith(METRICS_PATH)) {
                            scraped.refresh();
                        }
                        chain.proceed();
                    });
                })
                .build()
                .start();
        // after the start: the HTTP camera's status names the bound port
        this.metrics = new ProxyMetrics(metered, parts.cameraType());
    }

    /** Starts the server on {@code bindAddress} and the configured port. */
    public static ProxyHttp start(String bindAddress, Parts parts) {
        return new ProxyHttp(bindAddress, parts);
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Services the HTTP side runs itself (the camera over HTTP), for {@code /status}. */
    public List<ServiceStatus> services() {
        return ownServices.stream().map(Supplier::get).toList();
    }

    @Override
    public void close() {
        server.stop();
        metrics.close();
    }

    /** The routes, shared by {@link #start} and routing tests. */
    public static void routing(HttpRouting.Builder routing, Parts parts, ServiceStats httpCameraStats) {
        routing.register("/status", new StatusService(parts.status()))
                .register("/tls", new TlsService(parts.ca()));
        parts.camera().ifPresent(feed -> routing.register("/camera", new CameraService(feed,
                new BasicAuth(parts.accessCode(), parts.config().cameraAuth(), httpCameraStats::authFailed),
                parts.snapshotTimeout(), parts.config().maxStreams(), httpCameraStats)));
    }

    private static HealthCheckResponse readiness(List<Supplier<ServiceStatus>> services) {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(true);
        for (Supplier<ServiceStatus> supplier : services) {
            ServiceStatus service = supplier.get();
            response.detail(service.service(), service.listen() + service.upstream()
                    .map(UpstreamStatus::state).map(state -> ", printer " + state.name().toLowerCase()).orElse(""));
        }
        return response.build();
    }
}
