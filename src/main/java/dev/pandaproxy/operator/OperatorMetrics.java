package dev.pandaproxy.operator;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The operator's Prometheus meters ({@code /observe/metrics}, served by {@link dev.pandaproxy.http.MetricsService}):
 *
 * <pre>
 * pandaproxy_operator_leader     1 while this replica leads (reconciles), 0 standing by
 * pandaproxy_operator_printers   BambuPrinters the leader watches
 * pandaproxy_operator_queued     printers waiting to be reconciled
 * </pre>
 */
final class OperatorMetrics {
    private OperatorMetrics() {}

    /** The meters of one scrape; a replica that does not lead watches nothing. */
    static MetricSnapshots snapshots(boolean leading, int printers, int queued) {
        return MetricSnapshots.of(
                gauge(
                        "pandaproxy_operator_leader",
                        "1 while this replica leads and reconciles printers",
                        leading ? 1 : 0),
                gauge("pandaproxy_operator_printers", "BambuPrinter resources the leader watches", printers),
                gauge("pandaproxy_operator_queued", "Printers waiting to be reconciled", queued));
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }
}
