package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a Prometheus scrape costs the services behind it. */
class ProxyMetricsTest {
    @Test
    void aScrapeAsksEachServiceForItsStatusOnce() throws Exception {
        // the RTSP camera's status is an HTTP request to MediaMTX: a scrape used to make one per meter
        AtomicInteger statusCalls = new AtomicInteger();
        ServiceStats stats = new ServiceStats();
        CertificateAuthority ca = CertificateAuthority.generate("test");
        Map<String, String> settings = new HashMap<>(Map.of(
                "printer.host",
                "127.0.0.1",
                "printer.serial",
                "proxy",
                "printer.access-code",
                "12345678",
                "proxy.ports.http",
                "0",
                "proxy.ports.https",
                "0"));
        ProxyConfig config = Fixtures.config(settings);
        ProxyHttp.Parts parts = new ProxyHttp.Parts(
                () -> null,
                List.of(() -> {
                    statusCalls.incrementAndGet();
                    return new ServiceStatus(
                            "rtsp",
                            "127.0.0.1:322",
                            2,
                            List.of(),
                            Optional.of(new UpstreamStatus(
                                    "printer:322", UpstreamState.CONNECTED, Instant.now(), Optional.empty(), 0, 0)),
                            stats.counters());
                }),
                Optional.empty(),
                ca.certificate(),
                ca.issue("proxy", SubjectNames.forServer("proxy", "127.0.0.1", List.of()))
                        .serverContext(),
                Secret.of("12345678"),
                new LoginThrottle(config.loginThrottle()),
                config.http(),
                Duration.ofSeconds(1),
                Optional.of("rtsp"),
                Optional.empty(),
                List::of,
                Optional.empty());
        try (ProxyHttp http = ProxyHttp.start("127.0.0.1", parts)) {
            HttpClient client = HttpClient.newHttpClient();
            for (int scrape = 1; scrape <= 2; scrape++) {
                int before = statusCalls.get();
                HttpResponse<String> metrics = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/observe/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).containsPattern("pandaproxy_clients\\{[^}]*service=\"rtsp\"[^}]*} 2\\.0");
                assertThat(statusCalls.get() - before)
                        .as("status calls in scrape %d", scrape)
                        .isEqualTo(1);
            }
        }
    }
}
