package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's HLS relay for RTSP printers, over real sockets: an HTTP server on MediaMTX's HLS port stands in for
 * MediaMTX (which runs outside, {@code camera.mediamtx: external}) and records what reaches it.
 */
class PageHlsTest {
    private static final String PLAYLIST =
            "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-STREAM-INF:BANDWIDTH=200000\nvideo.m3u8\n";

    @TempDir
    Path dir;

    @Test
    void theHlsStreamIsRelayedFromLoopbackOnlyWithTheCredentialsAndOnlyForItsOwnFiles() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.mode", "rtsp");
            settings.put("camera.mediamtx", "external");
            settings.put("camera.ffmpeg", "external");
            settings.put("camera.mediamtx-hls-port", "0"); // a free port, where this test's stand-in listens
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                List<String> seen = new CopyOnWriteArrayList<>();
                HttpServer mediamtx = HttpServer.create(
                        new InetSocketAddress(
                                InetAddress.getLoopbackAddress(),
                                proxy.rtspCamera().orElseThrow().hlsAddress().getPort()),
                        8);
                mediamtx.createContext("/", exchange -> {
                    seen.add(exchange.getRequestURI() + " "
                            + exchange.getRequestHeaders().getFirst("Authorization"));
                    byte[] body = PLAYLIST.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/vnd.apple.mpegurl");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                mediamtx.start();
                try {
                    HttpClient http = HttpClient.newBuilder()
                            .sslContext(Fixtures.trustingCa(dir.resolve("proxy")))
                            .build();
                    String base = "https://127.0.0.1:" + proxy.httpsPort() + "/page/hls/";
                    String auth = "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(("bblp:" + Fixtures.CODE).getBytes(StandardCharsets.UTF_8));

                    assertThat(get(http, base + "index.m3u8", null).statusCode())
                            .isEqualTo(401);
                    assertThat(get(http, base + "a%2F..%2F..%2Fv3%2Fpaths%2Flist", auth)
                                    .statusCode())
                            .isEqualTo(404);
                    assertThat(seen)
                            .as("nothing reaches MediaMTX without credentials or outside the stream's files")
                            .isEmpty();

                    HttpResponse<String> playlist = get(http, base + "index.m3u8", auth);
                    assertThat(playlist.statusCode()).isEqualTo(200);
                    assertThat(playlist.body()).isEqualTo(PLAYLIST);
                    assertThat(playlist.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
                    // low-latency HLS asks for parts by query: passed on as it is
                    assertThat(get(http, base + "video.m3u8?_HLS_msn=12&_HLS_part=3", auth)
                                    .statusCode())
                            .isEqualTo(200);
                    assertThat(seen)
                            .containsExactly(
                                    "/streaming/live/1/index.m3u8 " + auth,
                                    "/streaming/live/1/video.m3u8?_HLS_msn=12&_HLS_part=3 " + auth);
                } finally {
                    mediamtx.stop(0);
                }
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
