package dev.pandaproxy.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.ftp.FtpReply;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.FtpClients;
import dev.pandaproxy.testing.LogCapture;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.testing.SimulatedPrinterExtension;
import dev.pandaproxy.testing.Viewer;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The failed-login throttle as clients of every service see it, over real sockets and TLS. */
class LoginThrottleServicesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WRONG = "87654321";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final SimulatedPrinterExtension PRINTER = new SimulatedPrinterExtension();

    @Test
    void failuresOnAnyServiceCountTogetherAndThenEveryServiceRefusesTheSourceEvenWithTheRightCode() throws Exception {
        Map<String, String> settings = settings("blocked");
        settings.put("login-throttle.free-failures", "2");
        settings.put("login-throttle.initial-block", "10m");
        try (LogCapture logs = LogCapture.start();
                PandaProxy proxy = Fixtures.proxy(settings)) {
            Path state = dir.resolve("blocked");
            assertThat(httpsSnapshot(proxy, state, WRONG).statusCode()).isEqualTo(401);
            assertThat(mqttConnect(proxy, state, WRONG)).isEqualTo(ConnAck.NOT_AUTHORIZED);
            assertThat(ftpLogin(proxy, state, WRONG).code()).isEqualTo(530); // the third failure: blocked from now on

            HttpResponse<String> http = httpsSnapshot(proxy, state, Fixtures.CODE);
            assertThat(http.statusCode()).isEqualTo(429);
            assertThat(http.headers().firstValue("retry-after"))
                    .hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
            assertThat(mqttConnect(proxy, state, Fixtures.CODE)).isEqualTo(ConnAck.SERVER_UNAVAILABLE);
            FtpReply ftp = ftpLogin(proxy, state, Fixtures.CODE);
            assertThat(ftp.code()).isEqualTo(421);
            assertThat(ftp.lines().getFirst()).contains("Too many failed logins");
            try (ChamberClient viewer = ChamberClient.connect(
                    Fixtures.trustingProxy(state),
                    "127.0.0.1",
                    proxy.camera().orElseThrow().port(),
                    Secret.of(Fixtures.CODE),
                    Duration.ofSeconds(5),
                    10_000_000)) {
                viewer.readTimeout(WAIT);
                assertThatThrownBy(viewer::readFrame)
                        .as("closed without a frame")
                        .isInstanceOf(IOException.class);
            }

            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + proxy.httpPort() + "/observe/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String service : new String[] {"camera-http", "mqtt", "ftp", "camera"}) {
                assertThat(metrics)
                        .containsPattern(
                                "pandaproxy_throttled_logins_total\\{[^}]*service=\"" + service + "\"[^}]*} 1\\.0");
            }
            assertThat(logs.lines().stream().filter(line -> line.contains("failed to log in 3 times")))
                    .hasSize(1);
        }
    }

    @Test
    void aUserWhoMistypedTheCodeOnceLogsInAtOnceOnEveryService() throws Exception {
        try (PandaProxy proxy = Fixtures.proxy(settings("mistyped"))) {
            Path state = dir.resolve("mistyped");
            assertThat(httpsSnapshot(proxy, state, WRONG).statusCode()).isEqualTo(401);
            assertThat(httpsSnapshot(proxy, state, Fixtures.CODE).statusCode()).isEqualTo(200);
            assertThat(mqttConnect(proxy, state, WRONG)).isEqualTo(ConnAck.NOT_AUTHORIZED);
            assertThat(mqttConnect(proxy, state, Fixtures.CODE)).isEqualTo(ConnAck.ACCEPTED);
            assertThat(ftpLogin(proxy, state, WRONG).code()).isEqualTo(530);
            assertThat(ftpLogin(proxy, state, Fixtures.CODE).code()).isEqualTo(230);
            SSLContext tls = Fixtures.trustingProxy(state);
            int port = proxy.camera().orElseThrow().port();
            try (ChamberClient wrong =
                    ChamberClient.connect(tls, "127.0.0.1", port, Secret.of(WRONG), Duration.ofSeconds(5), 1000)) {
                assertThatThrownBy(wrong::readFrame).isInstanceOf(EOFException.class);
            }
            try (Viewer viewer = Viewer.connect(tls, port, Fixtures.CODE)) {
                await().atMost(WAIT).until(() -> viewer.count() >= 1);
            }
        }
    }

    private static Map<String, String> settings(String name) {
        Map<String, String> settings = Fixtures.settings(PRINTER.printer(), dir.resolve(name));
        settings.put("proxy.services", "camera,mqtt,ftp");
        return settings;
    }

    private static HttpResponse<String> httpsSnapshot(PandaProxy proxy, Path state, String code) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(Fixtures.trustingCa(state))
                .build()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("https://127.0.0.1:" + proxy.httpsPort() + "/camera/snapshot.jpg"))
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString(
                                                                ("bblp:" + code).getBytes(StandardCharsets.UTF_8)))
                                .timeout(WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** The CONNACK return code a CONNECT as bblp with {@code code} gets. */
    private static int mqttConnect(PandaProxy proxy, Path state, String code) throws IOException {
        try (MqttClients.Raw client = new MqttClients.Raw(
                Fixtures.trustingProxy(state), proxy.mqtt().orElseThrow().port())) {
            client.send(new Connect(
                    4,
                    true,
                    60,
                    "throttle-test",
                    Optional.empty(),
                    Optional.of("bblp"),
                    Optional.of(code.getBytes(StandardCharsets.UTF_8))));
            MqttPacket answer = client.read();
            return ((ConnAck) answer).returnCode();
        }
    }

    /** The reply to {@code PASS code} after {@code USER bblp}. */
    private static FtpReply ftpLogin(PandaProxy proxy, Path state, String code) throws IOException {
        try (FtpClients.Raw client = new FtpClients.Raw(
                Fixtures.trustingProxy(state), proxy.ftp().orElseThrow().port())) {
            assertThat(client.read().code()).isEqualTo(220);
            assertThat(client.send("USER bblp").code()).isEqualTo(331);
            return client.send("PASS " + code);
        }
    }
}
