package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole RTSP path with the official MediaMTX image: the simulated printer, the proxy's bridge and ffmpeg,
 * MediaMTX configured by the generated file (as the Kubernetes sidecar is), and real clients over RTSPS. MediaMTX
 * shares the host's network, as a sidecar shares the pod's, so loopback publishing and the loopback API work as
 * they do there. Without Docker the test is reported disabled; {@link RtspCameraTest} covers the rest of the path.
 */
@Testcontainers(disabledWithoutDocker = true)
class MediaMtxContainerTest {
    private static final DockerImageName MEDIAMTX = DockerImageName.parse("bluenviron/mediamtx:1.20.1");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void clientsWatchThePrintersStreamThroughMediaMtxWithThePrintersCredentials() throws Exception {
        Path ffprobe = RealPeers.require("ffprobe");
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.mode", "rtsp");
            settings.put("camera.mediamtx", "external");
            settings.put("proxy.ports.rtsp", String.valueOf(freePort()));
            settings.put("camera.publish-port", String.valueOf(freePort()));
            int apiPort = freePort();
            settings.put("camera.mediamtx-api-port", String.valueOf(apiPort));
            settings.put("camera.mediamtx-rtsps-port", String.valueOf(freePort()));
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                RtspCamera camera = proxy.rtspCamera().orElseThrow();
                Path configDir = dir.resolve("proxy").resolve(Fixtures.SERIAL).resolve("rtsp");
                try (GenericContainer<?> mediamtx = new GenericContainer<>(MEDIAMTX)
                        .withNetworkMode("host")
                        .withFileSystemBind(configDir.toString(), configDir.toString(), BindMode.READ_ONLY)
                        .withCommand(configDir.resolve("mediamtx.yml").toString())) {
                    mediamtx.start();
                    // readiness as the proxy reads it: MediaMTX's API on loopback says the path is online
                    await().atMost(WAIT)
                            .until(() ->
                                    camera.status().upstream().orElseThrow().state() == UpstreamState.CONNECTED);
                    // that API answers the proxy alone: another process of the host (or of the pod) gets 401
                    assertThat(HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + apiPort + "/v3/paths/list"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode())
                            .isEqualTo(401);

                    int printerSessions = printer.rtsp().plays();
                    String base = "rtsps://bblp:" + Fixtures.CODE + "@127.0.0.1:" + camera.port();
                    for (String path : List.of("/streaming/live/1", "/stream")) {
                        assertThat(Programs.run(
                                                ffprobe.toString(),
                                                "-v",
                                                "error",
                                                "-rtsp_transport",
                                                "tcp",
                                                "-select_streams",
                                                "v:0",
                                                "-show_entries",
                                                "stream=codec_name,width,height",
                                                "-of",
                                                "csv=p=0",
                                                base + path)
                                        .strip())
                                .as(path)
                                .isEqualTo("h264,320,180");
                    }
                    Programs.Result wrongCode = Programs.result(
                            List.of(
                                    ffprobe.toString(),
                                    "-v",
                                    "error",
                                    "-rtsp_transport",
                                    "tcp",
                                    base.replace(Fixtures.CODE, "87654321") + "/streaming/live/1"),
                            Duration.ofSeconds(30));
                    assertThat(wrongCode.exit()).isNotZero();
                    // clients never reach the printer: it keeps serving its one stream, to ffmpeg
                    assertThat(printer.rtsp().plays()).isEqualTo(printerSessions);
                    assertThat(mediamtx.getLogs()).doesNotContain(Fixtures.CODE);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
