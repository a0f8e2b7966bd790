package dev.pandaproxy.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * {@code /observe/metrics} of the proxy and the operator: the Prometheus text of the meters one scrape takes, written
 * with the Prometheus Java client's own model and text format (~40 classes; Helidon's metrics brought Micrometer,
 * ~550 classes and ~5 MB per process, issue 15).
 */
public final class MetricsService implements HttpService {
    /** Where both serve it, as Helidon's metrics observer did. */
    public static final String PATH = "/observe/metrics";

    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

    private final Supplier<MetricSnapshots> scrape;

    /** @param scrape the meters as of a scrape, asked once per request */
    public MetricsService(Supplier<MetricSnapshots> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(
                "/",
                (request, response) -> response.header(HeaderNames.CONTENT_TYPE, TEXT.getContentType())
                        .send(text(scrape.get())));
    }

    private static byte[] text(MetricSnapshots meters) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            TEXT.write(out, meters);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }
}
