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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The whole RTSP path with the official MediaMTX image: the simulated printer, the proxy's bridge and ffmpeg,
 * MediaMTX configured by the generated file (as the Kubernetes sidecar is), and real clients over RTSPS and over
 * the page's HLS relay (a playlist and one of its segments, over HTTPS through the proxy). MediaMTX
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
    void clientsWatchThePrintersStreamThroughMediaMtxOverRtspsAndHlsWithThePrintersCredentials() throws Exception {
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
            settings.put("camera.mediamtx-hls-port", String.valueOf(freePort()));
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

                    // the page's camera: MediaMTX's HLS, through the proxy's HTTPS listener with the same credentials
                    HttpClient https = HttpClient.newBuilder()
                            .sslContext(Fixtures.trustingCa(dir.resolve("proxy")))
                            .build();
                    URI index = URI.create("https://127.0.0.1:" + proxy.httpsPort() + "/page/hls/index.m3u8");
                    // MediaMTX answers a playlist once its muxer, started by the first request, holds a segment
                    HttpResponse<byte[]> multivariant =
                            await().atMost(WAIT).until(() -> hls(https, index), answer -> answer.statusCode() == 200);
                    String mediaPlaylist = firstUri(multivariant);
                    HttpResponse<byte[]> media = hls(https, multivariant.uri().resolve(mediaPlaylist));
                    assertThat(media.statusCode()).as(mediaPlaylist).isEqualTo(200);
                    String segmentUri = firstUri(media);
                    HttpResponse<byte[]> segment = hls(https, media.uri().resolve(segmentUri));
                    assertThat(segment.statusCode()).as(segmentUri).isEqualTo(200);
                    assertThat(segment.body()).as(segmentUri).isNotEmpty();
                    assertThat(hls(https, index, "87654321").statusCode()).isEqualTo(401);
                    assertThat(mediamtx.getLogs()).doesNotContain(Fixtures.CODE);
                }
            }
        }
    }

    /** GET {@code url} with the printer's credentials, following redirects as a browser does. */
    private static HttpResponse<byte[]> hls(HttpClient https, URI url) throws Exception {
        return hls(https, url, Fixtures.CODE);
    }

    /**
     * GET {@code url} as user {@code bblp} with {@code code}, following redirects (MediaMTX's cookie check, which the
     * proxy passes on) the way a browser does, each with the credentials again.
     */
    private static HttpResponse<byte[]> hls(HttpClient https, URI url, String code) throws Exception {
        String authorization =
                "Basic " + Base64.getEncoder().encodeToString(("bblp:" + code).getBytes(StandardCharsets.UTF_8));
        URI next = url;
        for (int hop = 0; hop < 3; hop++) {
            HttpResponse<byte[]> answer = https.send(
                    HttpRequest.newBuilder(next)
                            .header("Authorization", authorization)
                            .timeout(Duration.ofSeconds(40))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Optional<String> location = answer.headers().firstValue("location");
            if (answer.statusCode() / 100 != 3 || location.isEmpty()) {
                return answer;
            }
            next = next.resolve(location.get());
        }
        throw new AssertionError("more than 3 redirects from " + url);
    }

    /** The first URI a playlist lists (a media playlist in a multivariant one, a segment in a media playlist). */
    private static String firstUri(HttpResponse<byte[]> playlist) {
        String text = new String(playlist.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("#EXTM3U");
        return text.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a playlist without URIs: " + text));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
