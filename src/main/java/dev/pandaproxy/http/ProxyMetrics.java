package dev.pandaproxy.http;

import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The proxy's Prometheus meters ({@link MetricsService}), made from one snapshot of the services' status per scrape (a
 * status can be dear: the RTSP camera's asks MediaMTX over HTTP). Nothing is registered or counted on the hot path;
 * the services keep their counters and the scrape reads them.
 *
 * <pre>
 * pandaproxy_camera{type}                         1, labelled with the camera type (chamber, rtsp, none)
 * pandaproxy_clients{service}                     clients connected now
 * pandaproxy_upstream_connected{service}          1 while the printer connection is up
 * pandaproxy_upstream_reconnects_total{service}   attempts after a failure or a lost connection
 * pandaproxy_&lt;counter&gt;_total{service}            every {@link ServiceStats.Counter}
 * </pre>
 */
final class ProxyMetrics {
    private ProxyMetrics() {}

    /** The meters of one scrape. */
    static MetricSnapshots snapshots(List<ServiceStatus> services, Optional<String> cameraType) {
        MetricSnapshots.Builder meters = MetricSnapshots.builder();
        cameraType.ifPresent(type -> meters.metricSnapshot(GaugeSnapshot.builder()
                .name("pandaproxy_camera")
                .help("The printer's camera, as configured or detected (label type: chamber, rtsp, none)")
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("type", type))
                        .value(1)
                        .build())
                .build()));
        meters.metricSnapshot(gauge("pandaproxy_clients", "Clients connected now", services, ServiceStatus::clients));
        List<ServiceStatus> upstreams =
                services.stream().filter(s -> s.upstream().isPresent()).toList();
        if (!upstreams.isEmpty()) { // the HTTP side's own services have no printer connection
            meters.metricSnapshot(gauge(
                    "pandaproxy_upstream_connected",
                    "1 while the printer connection is up",
                    upstreams,
                    s -> s.upstream().map(UpstreamStatus::state).orElseThrow() == UpstreamState.CONNECTED ? 1 : 0));
            meters.metricSnapshot(counter(
                    "pandaproxy_upstream_reconnects",
                    "Printer connection attempts after a failure or a lost connection",
                    upstreams,
                    s -> s.upstream().map(UpstreamStatus::reconnects).orElseThrow()));
        }
        for (ServiceStats.Counter counter : ServiceStats.Counter.values()) {
            meters.metricSnapshot(counter(
                    "pandaproxy_" + counter.id(),
                    counter.description(),
                    services,
                    s -> s.counters().getOrDefault(counter.id(), 0L)));
        }
        return meters.build();
    }

    private static GaugeSnapshot gauge(
            String name, String help, List<ServiceStatus> services, ToDoubleFunction<ServiceStatus> value) {
        return new GaugeSnapshot(
                new MetricMetadata(name, help),
                perService(services, value, (v, labels) -> new GaugeDataPointSnapshot(v, labels, null)));
    }

    private static CounterSnapshot counter(
            String name, String help, List<ServiceStatus> services, ToDoubleFunction<ServiceStatus> value) {
        return new CounterSnapshot(
                new MetricMetadata(name, help),
                perService(services, value, (v, labels) -> new CounterDataPointSnapshot(v, labels, null, 0)));
    }

    /** One data point per service, labelled with its name. */
    private static <P> List<P> perService(
            List<ServiceStatus> services, ToDoubleFunction<ServiceStatus> value, BiFunction<Double, Labels, P> point) {
        return services.stream()
                .map(service -> point.apply(value.applyAsDouble(service), Labels.of("service", service.service())))
                .toList();
    }
}
