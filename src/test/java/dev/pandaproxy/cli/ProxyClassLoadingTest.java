package dev.pandaproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.JavaProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code pandaproxy proxy} loads: nothing of what only the operator needs (the Kubernetes client, Jackson: the
 * proxy's JSON is Helidon's own), and, once its CA and
 * certificate are stored, nothing of BouncyCastle (whose signed jars alone cost ~5 MB of heap). Every class
 * costs memory in every proxy pod. Run in a child JVM whose class path has everything the tests have.
 */
class ProxyClassLoadingTest {
    @TempDir
    Path dir;

    @Test
    void aRestartedProxyServingEveryServiceLoadsNoneOfTheOperatorsLibrariesNorBouncyCastle() throws Exception {
        Path classLog = dir.resolve("classes.log");
        int httpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            httpPort = socket.getLocalPort();
        }
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            Path config = Files.writeString(dir.resolve("proxy.yaml"), """
                    printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {chamber: %s, mqtt: %s, ftp: %s}}
                    proxy: {bind: 127.0.0.1, services: [camera, mqtt, ftp], state-dir: %s, ports: {chamber: 0, mqtt: 0, ftp: 0, http: %d}}
                    camera: {mode: chamber}
                    """.formatted(
                            Fixtures.SERIAL,
                            Fixtures.CODE,
                            settings.get("printer.ports.chamber"),
                            settings.get("printer.ports.mqtt"),
                            settings.get("printer.ports.ftp"),
                            dir.resolve("proxy"),
                            httpPort));
            // the working directory holds a Helidon application.yaml that would switch the metrics off
            Files.writeString(dir.resolve("application.yaml"), "metrics:\n  enabled: false\n");
            // the first run creates the CA and the certificate, the second finds them
            runUntilReady(Map.of(), config, httpPort);
            runUntilReady(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog), config, httpPort);
        }
        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded)
                .as("the log lists the proxy's own classes")
                .anyMatch(line -> line.contains(" dev.pandaproxy.PandaProxy "));
        assertThat(loaded).noneMatch(line -> line.contains(" io.fabric8."));
        assertThat(loaded).noneMatch(line -> line.contains(" org.bouncycastle."));
        // the printer's reports, the status and the page's events are read and written with Helidon's JSON
        assertThat(loaded).noneMatch(line -> line.contains(" com.fasterxml.jackson."));
        // the JDK's HTTP client relays an RTSP camera's HLS stream; a chamber camera's proxy has no use for it
        assertThat(loaded).noneMatch(line -> line.contains(" jdk.internal.net.http.HttpClientImpl "));
    }

    private void runUntilReady(Map<String, String> env, Path config, int httpPort) throws Exception {
        Process proxy = JavaProcess.start(List.of(), env, dir, "proxy", "--config", config.toString());
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).until(() -> ready(http, httpPort));
            // the printer's reports have been parsed and merged (JSON is read), as /status counts them
            await().atMost(Duration.ofSeconds(60)).until(() -> reportsReceived(http, httpPort));
            // a scrape and the status too: they load their own classes
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/observe/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .as("Helidon's own configuration files in the working directory are not read")
                    .contains("pandaproxy_clients");
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/status"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            proxy.destroy();
            proxy.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static boolean reportsReceived(HttpClient http, int port) throws IOException, InterruptedException {
        JsonNode status = new ObjectMapper()
                .readTree(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        for (JsonNode service : status.path("services")) {
            if ("mqtt".equals(service.path("service").asText())) {
                return service.path("counters").path("received_messages").asLong() > 0;
            }
        }
        return false;
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
