package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.MqttClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page over real sockets: HTTPS only, the camera's credentials, live events, the doctor, no secret anywhere. */
class PageTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static SimulatedPrinter printer;
    private static PandaProxy proxy;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(Fixtures.trustingCa(dir.resolve("proxy")))
            .build();

    @BeforeAll
    static void start() {
        printer = Fixtures.printer(dir.resolve("printer"));
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("proxy.services", "camera,mqtt");
        proxy = Fixtures.proxy(settings);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        printer.close();
    }

    @Test
    void thePageNeedsTheCameraCredentialsOverHttpsAndPlainHttpRefusesIt() throws Exception {
        assertThat(get(https("/"), null).statusCode()).isEqualTo(401);
        assertThat(get(https("/"), basic("bblp", "00000000")).statusCode()).isEqualTo(401);
        assertThat(get(https("/page/events"), null).statusCode()).isEqualTo(401);
        assertThat(post(https("/page/doctor"), null).statusCode()).isEqualTo(401);

        HttpResponse<String> page = get(https("/"), basic("bblp", Fixtures.CODE));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("content-security-policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("<title>PandaProxy</title>", "page/app.js", "page/style.css");
        // nothing from elsewhere: every script, style and image is the proxy's own
        assertThat(page.body()).doesNotContain("http://", "https://");
        assertThat(get(https("/page/app.js"), basic("bblp", Fixtures.CODE)).body())
                .contains("EventSource");
        assertThat(get(https("/page/style.css"), basic("bblp", Fixtures.CODE)).body())
                .contains("prefers-color-scheme: dark");
        assertThat(get(https("/page/../pom.xml"), basic("bblp", Fixtures.CODE)).statusCode())
                .isEqualTo(404);
        assertThat(get(https("/page/nothing.js"), basic("bblp", Fixtures.CODE)).statusCode())
                .isEqualTo(404);
        // a chamber camera has no HLS stream
        assertThat(get(https("/page/hls/index.m3u8"), basic("bblp", Fixtures.CODE))
                        .statusCode())
                .isEqualTo(404);

        for (String path : List.of("/", "/page/app.js", "/page/events")) {
            HttpResponse<String> plain =
                    get(URI.create("http://127.0.0.1:" + proxy.httpPort() + path), basic("bblp", Fixtures.CODE));
            assertThat(plain.statusCode()).as(path).isEqualTo(403);
            assertThat(plain.body()).contains("https://127.0.0.1:" + proxy.httpsPort() + path);
        }
    }

    @Test
    void aStateChangeInThePrinterReachesTheEventStream() throws Exception {
        String job = "benchy-" + UUID.randomUUID();
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(https("/page/events"))
                        .header("Authorization", basic("bblp", Fixtures.CODE))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // the first events describe the proxy (its page viewer counted) and the printer as it is now
            JsonNode proxyNow = next(events, "proxy", node -> true);
            assertThat(proxyNow.at("/printer/serial").asText()).isEqualTo(Fixtures.SERIAL);
            JsonNode printerNow =
                    next(events, "printer", node -> node.path("known").asBoolean());
            assertThat(printerNow.at("/ams/0/trays/0"))
                    .isEqualTo(JSON.readTree("{\"id\":\"0\",\"type\":\"PLA\",\"colour\":\"#00AE42\",\"remain\":80}"));

            printer.mqtt()
                    .publishReport(("{\"print\":{\"subtask_name\":\"" + job + "\",\"mc_percent\":42,"
                                    + "\"hms\":[{\"attr\":50331904,\"code\":65543}]}}")
                            .getBytes(StandardCharsets.UTF_8));
            JsonNode changed = CompletableFuture.supplyAsync(() -> next(
                            events,
                            "printer",
                            node -> job.equals(node.path("job").asText())))
                    .get(5, TimeUnit.SECONDS);
            assertThat(changed.path("progress").asInt()).isEqualTo(42);
            assertThat(changed.at("/errors/0/code").asText()).isEqualTo("0300_0100_0001_0007");
            assertThat(changed.at("/errors/0/wiki").asText())
                    .isEqualTo("https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0300_0100_0001_0007");
        }
    }

    @Test
    void theStatusNamesEachConnectedClientWithItsClientIdAndSinceWhen() throws Exception {
        String clientId = "ha-" + UUID.randomUUID().toString().substring(0, 8);
        var client = MqttClients.connect(
                proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), clientId, "bblp", Fixtures.CODE);
        try {
            JsonNode mqtt = null;
            for (JsonNode service :
                    JSON.readTree(get(https("/status"), null).body()).path("services")) {
                if (service.path("service").asText().equals("mqtt")) {
                    mqtt = service;
                }
            }
            assertThat(mqtt).isNotNull();
            JsonNode ours = null;
            for (JsonNode connected : mqtt.path("connected")) {
                if (connected.path("clientId").asText().equals(clientId)) {
                    ours = connected;
                }
            }
            assertThat(ours).as("the client in %s", mqtt).isNotNull();
            assertThat(ours.path("address").asText()).startsWith("127.0.0.1:");
            assertThat(Instant.parse(ours.path("since").asText()))
                    .isBefore(Instant.now().plusSeconds(1));
        } finally {
            client.disconnect();
        }
        await().atMost(WAIT).until(() -> !get(https("/status"), null).body().contains(clientId));
    }

    @Test
    void theDoctorButtonRunsTheChecksAgainstThisProxy() throws Exception {
        HttpResponse<String> response = post(https("/page/doctor"), basic("bblp", Fixtures.CODE));
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        JSON.readTree(response.body())
                .forEach(result -> lines.add(result.path("status").asText() + " "
                        + result.path("check").asText()));
        assertThat(lines)
                .containsExactly(
                        "OK ca", "OK http", "SKIP discovery", "SKIP detect", "OK mqtt", "SKIP ftps", "OK camera");
    }

    @Test
    void noResponseCarriesTheAccessCode() throws Exception {
        String auth = basic("bblp", Fixtures.CODE);
        List<String> bodies = new ArrayList<>();
        for (String path : List.of("/", "/page/app.js", "/page/style.css", "/page/hls.light.min.js", "/status")) {
            HttpResponse<String> response = get(https(path), auth);
            bodies.add(response.headers().map() + response.body());
        }
        bodies.add(post(https("/page/doctor"), auth).body());
        HttpResponse<InputStream> stream = http.send(
                HttpRequest.newBuilder(https("/page/events"))
                        .header("Authorization", auth)
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            bodies.add(next(events, "proxy", node -> true).toString());
            bodies.add(next(events, "printer", node -> node.path("known").asBoolean())
                    .toString());
        }
        assertThat(bodies)
                .allSatisfy(body -> assertThat(body)
                        .doesNotContain(Fixtures.CODE)
                        .doesNotContain(Base64.getEncoder()
                                .encodeToString(("bblp:" + Fixtures.CODE).getBytes(StandardCharsets.UTF_8))));
    }

    /** The data of the next event named {@code name} that {@code wanted} accepts. */
    private static JsonNode next(BufferedReader events, String name, Predicate<JsonNode> wanted) {
        try {
            String event = "";
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && event.equals(name)) {
                    JsonNode data = JSON.readTree(line.substring(5).strip());
                    if (wanted.test(data)) {
                        return data;
                    }
                }
            }
            throw new AssertionError("the event stream ended before a matching " + name + " event");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI https(String path) {
        return URI.create("https://127.0.0.1:" + proxy.httpsPort() + path);
    }

    private HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(WAIT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
