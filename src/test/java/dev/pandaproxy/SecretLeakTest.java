package dev.pandaproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.LogCapture;
import dev.pandaproxy.testing.Viewer;
import java.io.EOFException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access code must not reach logs (even debug detail), exception messages, {@code /status} or
 * metrics, whatever goes wrong: a wrong code toward the printer, wrong codes from clients.
 */
class SecretLeakTest {
    private static final String PROXY_CODE = "Zq7Secret";

    @TempDir
    Path dir;

    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void theAccessCodeAppearsNowhere() throws Exception {
        // the simulator expects Fixtures.CODE, the proxy is configured with PROXY_CODE: every printer login fails
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("printer.access-code", PROXY_CODE);
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                int port = proxy.camera().orElseThrow().port();
                var tls = Fixtures.trustingProxy(dir.resolve("proxy"));
                try (Viewer viewer = Viewer.connect(tls, port, PROXY_CODE)) {
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> printer.camera().rejectedLogins() >= 2);
                    assertThat(viewer.count()).isZero();
                }
                try (ChamberClient wrong = ChamberClient.connect(
                        tls, "127.0.0.1", port, Secret.of(PROXY_CODE + "x"), Duration.ofSeconds(5), 1000)) {
                    assertThatThrownBy(wrong::readFrame).isInstanceOf(EOFException.class);
                }
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + proxy.httpPort();
                HttpClient https = HttpClient.newBuilder()
                        .sslContext(Fixtures.trustingCa(dir.resolve("proxy")))
                        .build();
                https.send(
                        HttpRequest.newBuilder(
                                        URI.create("https://127.0.0.1:" + proxy.httpsPort() + "/camera/snapshot.jpg"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(("bblp:" + PROXY_CODE + "x").getBytes()))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());

                String status = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                String metrics = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/observe/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();

                assertThat(status).contains("check the access code").doesNotContain(PROXY_CODE);
                assertThat(metrics).contains("pandaproxy_auth_failures_total").doesNotContain(PROXY_CODE);
                assertThat(proxy.toString() + proxy.status() + Fixtures.config(settings))
                        .doesNotContain(PROXY_CODE);
            }
        }
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("wrong access code"));
        assertThat(logs.lines()).allSatisfy(line -> assertThat(line).doesNotContain(PROXY_CODE));
    }
}
