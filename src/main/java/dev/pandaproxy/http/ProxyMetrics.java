package dev.pandaproxy.http;

import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.metrics.api.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Prometheus metrics, read from one snapshot of the services' status per scrape (nothing is copied on
 * the hot path). They live in Helidon's global registry, which {@code /observe/metrics} serves; {@link #close()}
 * removes them, so a proxy started later in the same JVM (tests) registers its own.
 *
 * <pre>
 * pandaproxy_camera{type}                         1, labelled with the camera type (chamber, rtsp, none)
 * pandaproxy_clients{service}                     clients connected now
 * pandaproxy_upstream_connected{service}          1 while the printer connection is up
 * pandaproxy_upstream_reconnects_total{service}   attempts after a failure or a lost connection
 * pandaproxy_&lt;counter&gt;_total{service}            every {@link ServiceStats.Counter}
 * </pre>
 */
final class ProxyMetrics implements AutoCloseable {
    private final MeterRegistry registry = MetricsFactory.getInstance().globalRegistry();
    private final List<Meter> meters = new ArrayList<>();
    private final List<Supplier<ServiceStatus>> services;
    /**
     * The services' status as of the current scrape: a status can be dear (the RTSP camera's asks MediaMTX
     * over HTTP), and a scrape reads a dozen meters of each service.
     */
    private volatile List<ServiceStatus> snapshot;

    ProxyMetrics(List<Supplier<ServiceStatus>> services, Optional<String> cameraType) {
        this.services = List.copyOf(services);
        refresh();
        cameraType.ifPresent(type -> add(Gauge.builder("pandaproxy.camera", () -> 1)
                .description("The printer's camera, as configured or detected (label type: chamber, rtsp, none)")
                .tags(List.of(Tag.create("type", type)))));
        for (int i = 0; i < snapshot.size(); i++) {
            int index = i;
            Supplier<ServiceStatus> service = () -> snapshot.get(index);
            List<Tag> tags = List.of(Tag.create("service", service.get().service()));
            add(Gauge.builder("pandaproxy.clients", service, s -> s.get().clients())
                    .description("Clients connected now")
                    .tags(tags));
            if (service.get().upstream().isPresent()) {
                add(Gauge.builder(
                                "pandaproxy.upstream.connected",
                                service,
                                s -> s.get()
                                        .upstream()
                                        .map(u -> u.state() == UpstreamState.CONNECTED ? 1 : 0)
                                        .orElse(0))
                        .description("1 while the printer connection is up")
                        .tags(tags));
                add(FunctionalCounter.builder(
                                "pandaproxy.upstream.reconnects",
                                service,
                                s -> s.get().upstream().map(u -> u.reconnects()).orElse(0L))
                        .description("Printer connection attempts after a failure or a lost connection")
                        .tags(tags));
            }
            for (ServiceStats.Counter counter : ServiceStats.Counter.values()) {
                add(FunctionalCounter.builder(
                                "pandaproxy." + counter.id().replace('_', '.'),
                                service,
                                s -> s.get().counters().getOrDefault(counter.id(), 0L))
                        .description(counter.description())
                        .tags(tags));
            }
        }
    }

    /** Takes the status the meters read until the next call: once per scrape, before the registry is read. */
    void refresh() {
        snapshot = services.stream().map(Supplier::get).toList();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> void add(B builder) {
        meters.add(registry.getOrCreate(builder));
    }
}
