package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.chamber.ChamberCodec;
import dev.pandaproxy.chamber.ChamberFrame;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.TestPattern;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.testing.Viewer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side of a running proxy, over real sockets, with the JDK's client, curl and ffmpeg. */
class ProxyHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

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
        proxy = Fixtures.proxy(Fixtures.settings(printer, dir.resolve("proxy")));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        printer.close();
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        assertThat(get("/observe/health/live", null).statusCode()).isIn(200, 204);
        HttpResponse<String> ready = get("/observe/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"").contains("camera");
    }

    @Test
    void statusDescribesTheServicesWithoutTheAccessCode() throws Exception {
        HttpResponse<String> response = get("/status", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode status = new ObjectMapper().readTree(response.body());
        assertThat(status.at("/printer/serial").asText()).isEqualTo(Fixtures.SERIAL);
        assertThat(status.at("/services/0/service").asText()).isEqualTo("camera");
        assertThat(status.at("/services/0/upstream/target").asText())
                .isEqualTo("127.0.0.1:" + printer.camera().port());
        assertThat(status.at("/caFingerprint").asText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        // times as ISO-8601 text, a present optional as its value, an absent one as null
        assertThat(Instant.parse(status.at("/startedAt").asText())).isBefore(Instant.now());
        assertThat(Instant.parse(status.at("/services/0/upstream/since").asText()))
                .isAfterOrEqualTo(Instant.parse(status.at("/startedAt").asText()));
        assertThat(status.at("/camera/type").asText()).isEqualTo("chamber");
        assertThat(status.at("/services/0/upstream/lastError").isNull()).isTrue();
        assertThat(response.body()).doesNotContain(Fixtures.CODE);
    }

    @Test
    void cameraEndpointsNeedTheAccessCode() throws Exception {
        long failures = httpAuthFailures();
        HttpResponse<String> anonymous = get("/camera/snapshot.jpg", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("www-authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(get("/camera/stream.mjpeg", null).statusCode()).isEqualTo(401);
        assertThat(get("/camera/snapshot.jpg", basic("bblp", "00000000")).statusCode())
                .isEqualTo(401);
        assertThat(get("/camera/snapshot.jpg", basic("root", Fixtures.CODE)).statusCode())
                .isEqualTo(401);
        assertThat(httpAuthFailures()).isEqualTo(failures + 2);
    }

    @Test
    void plainHttpRefusesTheCameraWithTheHttpsAddressAndLooksAtNoCredentials() throws Exception {
        long failures = httpAuthFailures();
        for (String path : List.of("/camera/snapshot.jpg", "/camera/stream.mjpeg")) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(plainUrl(path)))
                            .header("Authorization", basic("bblp", "00000000"))
                            .timeout(WAIT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("https://127.0.0.1:" + proxy.httpsPort() + path, "http.plain-camera");
        }
        assertThat(httpAuthFailures()).isEqualTo(failures);
        // what needs no secret stays on plain HTTP
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(plainUrl("/tls/ca.pem")))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(plainUrl("/status")))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void httpsPresentsTheProxyCertificateWithoutThePlainRsaSuites() throws Exception {
        SSLContext tls = Fixtures.trustingCa(dir.resolve("proxy"));
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", proxy.httpsPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(
                    new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", proxy.httpsPort())) {
            socket.startHandshake();
            assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal()
                            .getName())
                    .isEqualTo("CN=" + Fixtures.SERIAL);
        }
    }

    @Test
    void snapshotIsTheLatestFrameAsAJpeg() throws Exception {
        HttpResponse<byte[]> response = http.send(
                request("/camera/snapshot.jpg", basic("bblp", Fixtures.CODE)), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("image/jpeg");
        assertThatIsASimulatorFrame(response.body());
    }

    @Test
    void mjpegStreamDeliversSuccessiveFramesAndReleasesTheViewerOnClose() throws Exception {
        HttpResponse<InputStream> response = http.send(
                request("/camera/stream.mjpeg", basic("bblp", Fixtures.CODE)),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        String contentType = response.headers().firstValue("content-type").orElseThrow();
        assertThat(contentType).startsWith("multipart/x-mixed-replace");
        String boundary = "--" + contentType.replaceFirst(".*boundary=", "");
        List<Long> seqs = new ArrayList<>();
        try (InputStream in = response.body()) {
            for (int i = 0; i < 3; i++) {
                assertThat(line(in)).isEqualTo(boundary);
                assertThat(line(in)).isEqualToIgnoringCase("Content-Type: image/jpeg");
                int length = Integer.parseInt(line(in).replaceFirst("(?i)Content-Length: ", ""));
                assertThat(line(in)).isEmpty();
                byte[] jpeg = in.readNBytes(length);
                assertThat(line(in)).isEmpty();
                seqs.add(assertThatIsASimulatorFrame(jpeg));
            }
            await().atMost(WAIT).until(() -> httpCamera().path("clients").asInt() == 1);
        }
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        await().atMost(WAIT).until(() -> httpCamera().path("clients").asInt() == 0);
    }

    @Test
    void metricsCountViewersAndFramesInPrometheusText() throws Exception {
        try (Viewer viewer = Viewer.connect(
                Fixtures.trustingProxy(dir.resolve("proxy")),
                proxy.camera().orElseThrow().port(),
                Fixtures.CODE)) {
            await().atMost(WAIT).until(() -> viewer.count() >= 2);
            HttpResponse<String> metrics = get("/observe/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .containsPattern("pandaproxy_clients\\{[^}]*service=\"camera\"[^}]*} 1\\.0")
                    .containsPattern("pandaproxy_upstream_connected\\{[^}]*service=\"camera\"[^}]*} 1\\.0")
                    .containsPattern("pandaproxy_relayed_messages_total\\{[^}]*service=\"camera\"[^}]*} [1-9]")
                    .contains(
                            "pandaproxy_auth_failures_total",
                            "pandaproxy_upstream_reconnects_total",
                            "pandaproxy_relayed_bytes_total")
                    .doesNotContain(Fixtures.CODE);
        }
    }

    @Test
    void theProxyCaIsServedForImport() throws Exception {
        HttpResponse<String> response = get("/tls/ca.pem", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Files.readString(dir.resolve("proxy/ca.pem")));
    }

    @Test
    void curlFetchesASnapshot() throws Exception {
        Path curl = RealPeers.require("curl");
        Path output = dir.resolve("curl.jpg");
        Process process = new ProcessBuilder(
                        curl.toString(),
                        "-sSf",
                        "--cacert",
                        dir.resolve("proxy/ca.pem").toString(),
                        "-u",
                        "bblp:" + Fixtures.CODE,
                        "-o",
                        output.toString(),
                        url("/camera/snapshot.jpg"))
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
        assertThatIsASimulatorFrame(Files.readAllBytes(output));
    }

    @Test
    void ffmpegDecodesTheMjpegStream() throws Exception {
        Path ffmpeg = RealPeers.require("ffmpeg");
        Path output = dir.resolve("ffmpeg-%02d.png");
        String source = url("/camera/stream.mjpeg").replace("https://", "https://bblp:" + Fixtures.CODE + "@");
        Process process = new ProcessBuilder(
                        ffmpeg.toString(), "-nostdin", "-v", "error", "-i", source, "-frames:v", "3", output.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
        for (int i = 1; i <= 3; i++) {
            assertThat(ImageIO.read(dir.resolve(String.format("ffmpeg-%02d.png", i))
                                    .toFile())
                            .getWidth())
                    .isEqualTo(320);
        }
    }

    @Test
    void cameraAuthAndPlainHttpCanBeAllowed() throws Exception {
        // a printer of its own: like a real one, the simulator streams to one connection at a time
        try (SimulatedPrinter own = Fixtures.printer(dir.resolve("own-printer"));
                PandaProxy open = Fixtures.proxy(openSettings(own))) {
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(Fixtures.trustingCa(dir.resolve("open-proxy")))
                    .build();
            for (String url : List.of("https://127.0.0.1:" + open.httpsPort(), "http://127.0.0.1:" + open.httpPort())) {
                HttpResponse<byte[]> response = trusting.send(
                        HttpRequest.newBuilder(URI.create(url + "/camera/snapshot.jpg"))
                                .timeout(WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).as(url).isEqualTo(200);
                assertThat(TestPattern.stamp(response.body())).isPresent();
            }
        }
    }

    private static Map<String, String> openSettings(SimulatedPrinter own) {
        Map<String, String> settings = Fixtures.settings(own, dir.resolve("open-proxy"));
        settings.put("http.camera-auth", "false");
        settings.put("http.plain-camera", "true");
        return settings;
    }

    /** Checks {@code jpeg} is byte for byte a frame the simulator sent; returns its sequence number. */
    private long assertThatIsASimulatorFrame(byte[] jpeg) throws IOException {
        assertThat(jpeg).startsWith(0xFF, 0xD8, 0xFF, 0xE0);
        assertThat(ImageIO.read(new ByteArrayInputStream(jpeg))).isNotNull();
        long seq = TestPattern.stamp(jpeg).orElseThrow().seq();
        ChamberFrame frame = new ChamberFrame(ChamberCodec.encodeFrameHeader(jpeg.length), jpeg, 0);
        assertThat(Fixtures.digest(frame))
                .isEqualTo(printer.camera().sentDigest(seq).orElseThrow());
        return seq;
    }

    /** The camera-http entry of /status. */
    private JsonNode httpCamera() throws Exception {
        for (JsonNode service :
                new ObjectMapper().readTree(get("/status", null).body()).path("services")) {
            if (service.path("service").asText().equals("camera-http")) {
                return service;
            }
        }
        throw new AssertionError("no camera-http service in /status");
    }

    private long httpAuthFailures() throws Exception {
        return httpCamera().path("counters").path("auth_failures").asLong();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return http.send(request(path, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String authorization) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(url(path))).timeout(WAIT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** The camera (and anything else but health and metrics) over HTTPS, the rest over plain HTTP. */
    private String url(String path) {
        return path.startsWith("/observe/") ? plainUrl(path) : "https://127.0.0.1:" + proxy.httpsPort() + path;
    }

    private String plainUrl(String path) {
        return "http://127.0.0.1:" + proxy.httpPort() + path;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("stream ended");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
