package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.CameraConfig.Mode;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.rtsp.CameraDetector.Detection;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.ServerIdentity;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera detection against the simulated printer of each kind, and against ports that stay silent, refuse
 * connections, or answer garbage.
 */
class CameraDetectorTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    @Test
    void aChamberPrinterIsDetectedAsChamber() throws IOException {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            // a chamber printer has no RTSP port: 322 is refused
            Detection detection = detect(printer.camera().port(), closedPort());
            assertThat(detection.mode()).isEqualTo(Mode.CHAMBER);
            assertThat(detection.detail()).contains("chamber camera sent a JPEG frame");
        }
    }

    @Test
    void anRtspPrinterIsDetectedAsRtspThoughItsPort6000Answers() throws IOException {
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            Detection detection = detect(printer.camera().port(), printer.rtsp().port());
            assertThat(detection.mode()).isEqualTo(Mode.RTSP);
            assertThat(detection.detail()).contains("RTSP server answered");
        }
    }

    @Test
    void anRtspAnswerDecidesWithoutWaitingForASilentPort6000() throws IOException {
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"));
                Server tunnel = Server.plain(out -> {})) {
            Detection detection = detect(tunnel.port(), printer.rtsp().port());
            assertThat(detection.mode()).isEqualTo(Mode.RTSP);
            // decided on 322's answer: the silent 6000 probe was stopped, not waited for
            assertThat(detection.detail()).isEqualTo("port " + printer.rtsp().port() + ": RTSP server answered");
        }
    }

    @Test
    void silentPortsMeanNoCameraWithinTheTimeout() throws IOException {
        try (Server chamber = Server.plain(out -> {});
                Server rtsp = Server.plain(out -> {})) {
            Detection detection = detect(chamber.port(), rtsp.port());
            assertThat(detection.mode()).isEqualTo(Mode.NONE);
            assertThat(detection.detail())
                    .contains("port " + rtsp.port() + ": no answer within 1500 ms")
                    .contains("port " + chamber.port() + ": no answer within 1500 ms");
            // both probes were under way together: one after the other, the second would start a whole timeout later
            long apart =
                    Math.abs(chamber.acceptedAt().getFirst() - rtsp.acceptedAt().getFirst());
            assertThat(Duration.ofNanos(apart)).isLessThan(TIMEOUT);
        }
    }

    @Test
    void refusedPortsMeanNoCamera() throws IOException {
        Detection detection = detect(closedPort(), closedPort());
        assertThat(detection.mode()).isEqualTo(Mode.NONE);
        assertThat(detection.detail()).containsIgnoringCase("refused");
    }

    @Test
    void garbageOverTlsIsNeitherCamera() throws IOException {
        SSLContext server = serverContext();
        byte[] garbage =
                "HTTP/1.1 400 Bad Request\r\n\r\n\u00ff\u00fe not a camera".getBytes(StandardCharsets.ISO_8859_1);
        try (Server chamber = Server.tls(server, out -> write(out, garbage));
                Server rtsp = Server.tls(server, out -> write(out, garbage))) {
            Detection detection = detect(chamber.port(), rtsp.port());
            assertThat(detection.mode()).isEqualTo(Mode.NONE);
            assertThat(detection.detail()).contains("answered something that is not RTSP");
        }
    }

    @Test
    void plainTextWhereTlsIsExpectedIsNeitherCamera() throws IOException {
        byte[] banner = "RTSP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Server chamber = Server.plain(out -> write(out, banner));
                Server rtsp = Server.plain(out -> write(out, banner))) {
            assertThat(detect(chamber.port(), rtsp.port()).mode()).isEqualTo(Mode.NONE);
        }
    }

    @Test
    void withNoCameraTheProxyRunsItsOtherServicesAndSaysWhatToCheck() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.mode", "auto");
            settings.put("camera.detect-timeout", "1s");
            settings.put("printer.ports.chamber", String.valueOf(closedPort()));
            settings.put("printer.ports.rtsp", String.valueOf(closedPort()));
            settings.put("proxy.services", "camera,mqtt");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                assertThat(proxy.status().camera()).hasValueSatisfying(camera -> {
                    assertThat(camera.type()).isEqualTo("none");
                    assertThat(camera.detail()).containsIgnoringCase("refused");
                });
                assertThat(proxy.camera()).isEmpty();
                assertThat(proxy.rtspCamera()).isEmpty();
                assertThat(proxy.mqtt()).isPresent();
                assertThat(get(proxy, "/status")).containsPattern("\"type\"\\s*:\\s*\"none\"");
                assertThat(get(proxy, "/observe/metrics"))
                        .containsPattern("pandaproxy_camera\\{[^}]*type=\"none\"[^}]*} 1");
            }
        }
    }

    @Test
    void autoModeStartsTheChamberCameraItFound() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.mode", "auto");
            settings.put("printer.ports.rtsp", String.valueOf(closedPort()));
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                assertThat(proxy.camera()).isPresent();
                assertThat(get(proxy, "/status")).containsPattern("\"type\"\\s*:\\s*\"chamber\"");
                assertThat(get(proxy, "/observe/metrics"))
                        .containsPattern("pandaproxy_camera\\{[^}]*type=\"chamber\"[^}]*} 1");
            }
        }
    }

    @Test
    void aRestartUsesTheCameraFoundBeforeSoItNeedsNoProbeAndWorksWhileThePrinterIsAway() throws Exception {
        Map<String, String> settings;
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.mode", "auto");
            settings.put("printer.ports.rtsp", String.valueOf(closedPort()));
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                assertThat(proxy.status().camera().orElseThrow().detail()).contains("JPEG");
            }
        }
        assertThat(dir.resolve("proxy").resolve(Fixtures.SERIAL).resolve(CameraDetector.REMEMBERED_FILE))
                .hasContent("chamber\n");
        // the printer is gone: nothing answers on its ports, and the proxy still starts its chamber camera
        settings.put("printer.ports.chamber", String.valueOf(closedPort()));
        try (PandaProxy proxy = Fixtures.proxy(settings)) {
            assertThat(proxy.camera()).isPresent();
            assertThat(proxy.status().camera().orElseThrow().detail()).contains("earlier start");
        }
    }

    @Test
    void aPrinterWithoutACameraIsProbedAgainAtTheNextStart() throws Exception {
        Path printerDir = dir.resolve("state").resolve(Fixtures.SERIAL);
        CameraDetector.remember(printerDir, new Detection(Mode.NONE, "nothing answered"));
        assertThat(CameraDetector.remembered(printerDir)).isEmpty();
        CameraDetector.remember(printerDir, new Detection(Mode.RTSP, "RTSP server answered"));
        assertThat(CameraDetector.remembered(printerDir))
                .hasValueSatisfying(d -> assertThat(d.mode()).isEqualTo(Mode.RTSP));
        // anything else in the file is not a camera: probe
        Files.writeString(printerDir.resolve(CameraDetector.REMEMBERED_FILE), "none\n");
        assertThat(CameraDetector.remembered(printerDir)).isEmpty();
    }

    private Detection detect(int chamberPort, int rtspPort) throws IOException {
        PrinterConfig printer = Fixtures.config(Map.of(
                        "printer.host",
                        "127.0.0.1",
                        "printer.serial",
                        Fixtures.SERIAL,
                        "printer.access-code",
                        Fixtures.CODE,
                        "printer.ports.chamber",
                        String.valueOf(chamberPort),
                        "printer.ports.rtsp",
                        String.valueOf(rtspPort),
                        "proxy.state-dir",
                        dir.resolve("proxy").toString()))
                .printer();
        SSLContext insecure = PrinterTrust.create(
                        TrustMode.INSECURE, Optional.empty(), dir.resolve("pin"), Fixtures.SERIAL)
                .clientContext();
        return CameraDetector.detect(insecure, printer, TIMEOUT);
    }

    private static String get(PandaProxy proxy, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private SSLContext serverContext() throws IOException {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("garbage"), "Garbage CA");
        return ServerIdentity.loadOrIssue(
                        ca,
                        dir.resolve("garbage"),
                        Fixtures.SERIAL,
                        SubjectNames.forServer(Fixtures.SERIAL, "127.0.0.1", List.of()))
                .serverContext();
    }

    /** A port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the probe left
        }
    }

    /** A server that greets every connection with {@code greeting} and keeps it open until closed. */
    private record Server(ServerSocket socket, List<Socket> accepted, List<Long> acceptedAt) implements AutoCloseable {
        static Server tls(SSLContext context, Consumer<OutputStream> greeting) throws IOException {
            return start(TlsPolicy.newServerSocket(context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA), greeting);
        }

        static Server plain(Consumer<OutputStream> greeting) throws IOException {
            return start(new ServerSocket(), greeting);
        }

        private static Server start(ServerSocket socket, Consumer<OutputStream> greeting) throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Server server = new Server(socket, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket client = socket.accept();
                        server.acceptedAt.add(System.nanoTime());
                        server.accepted.add(client);
                        Thread.ofVirtual().start(() -> {
                            try {
                                if (client instanceof SSLSocket tls) {
                                    tls.startHandshake();
                                }
                                greeting.accept(client.getOutputStream());
                            } catch (IOException e) {
                                // the probe gave up on the handshake
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return server;
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket client : new ArrayList<>(accepted)) {
                client.close();
            }
        }
    }
}
