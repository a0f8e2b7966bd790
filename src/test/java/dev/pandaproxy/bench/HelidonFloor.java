package dev.pandaproxy.bench;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;

/**
 * The footprint benchmark's floor: a Helidon SE web server with the health observer and metrics endpoint the proxy serves,
 * on the port in {@code PROXY_PORTS_HTTP}, and nothing else. What it takes is what the stack costs before the
 * proxy does anything; the proxy's own cost is the difference.
 */
public final class HelidonFloor {
    private HelidonFloor() {}

    public static void main(String[] args) throws InterruptedException {
        WebServer.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(System.getenv("PROXY_PORTS_HTTP")))
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder().details(true).build())
                        .build())
                // the proxy's metrics endpoint, as the libraries write it (its own classes are not on this class path)
                .routing(routing -> routing.get("/observe/metrics", (request, response) -> {
                    ByteArrayOutputStream text = new ByteArrayOutputStream();
                    PrometheusTextFormatWriter.create().write(text, MetricSnapshots.of());
                    response.send(text.toByteArray());
                }))
                .build()
                .start();
        Thread.currentThread().join();
    }
}
