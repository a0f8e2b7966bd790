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
 * MediaMTX (which runs outside, {@code camera.mediamtx: external}), answers as MediaMTX 1.20's HLS server does
 * (internal/servers/hls/http_server.go: a first request for {@code index.m3u8} is redirected to
 * {@code index.m3u8?cookieCheck=1} with a cookie; without the cookie back, the session goes in the query of the
 * playlist's URLs) and records what reaches it. {@code MediaMtxContainerTest} plays the real one, where Docker is.
 */
class PageHlsTest {
    private static final String SESSION = "session=6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b";
    private static final String PLAYLIST =
            "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-STREAM-INF:BANDWIDTH=200000\nvideo.m3u8?" + SESSION + "\n";

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
                    URI uri = exchange.getRequestURI();
                    seen.add(uri + " " + exchange.getRequestHeaders().getFirst("Authorization")
                            + (exchange.getRequestHeaders().containsKey("Cookie") ? " with a cookie" : ""));
                    if (uri.getPath().endsWith("/index.m3u8") && uri.getQuery() == null) {
                        exchange.getResponseHeaders().add("Location", uri.getPath() + "?cookieCheck=1");
                        exchange.getResponseHeaders()
                                .add("Set-Cookie", "cookieCheck=1; Secure; HttpOnly; SameSite=None; Partitioned");
                        exchange.sendResponseHeaders(302, -1);
                    } else if (uri.getPath().endsWith("/elsewhere.m3u8")) {
                        exchange.getResponseHeaders().add("Location", "/v3/paths/list");
                        exchange.sendResponseHeaders(302, -1);
                    } else {
                        byte[] body = PLAYLIST.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/vnd.apple.mpegurl");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
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

                    // MediaMTX's cookie check: its redirect stays on the relay, its cookie stays with MediaMTX
                    HttpResponse<String> redirect = get(http, base + "index.m3u8", auth);
                    assertThat(redirect.statusCode()).isEqualTo(302);
                    assertThat(redirect.headers().firstValue("location")).hasValue("index.m3u8?cookieCheck=1");
                    assertThat(redirect.headers().firstValue("set-cookie")).isEmpty();
                    HttpResponse<String> playlist = get(
                            http,
                            URI.create(base)
                                    .resolve(redirect.headers()
                                            .firstValue("location")
                                            .orElseThrow())
                                    .toString(),
                            auth);
                    assertThat(playlist.statusCode()).isEqualTo(200);
                    assertThat(playlist.body()).isEqualTo(PLAYLIST);
                    assertThat(playlist.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
                    // the session, and low-latency HLS's parts, are asked for by query: passed on as it is
                    assertThat(get(http, base + "video.m3u8?_HLS_msn=12&_HLS_part=3&" + SESSION, auth)
                                    .statusCode())
                            .isEqualTo(200);
                    // a redirect out of the stream's directory is not followed, nor passed on
                    assertThat(get(http, base + "elsewhere.m3u8", auth).statusCode())
                            .isEqualTo(502);
                    assertThat(seen)
                            .containsExactly(
                                    "/streaming/live/1/index.m3u8 " + auth,
                                    "/streaming/live/1/index.m3u8?cookieCheck=1 " + auth,
                                    "/streaming/live/1/video.m3u8?_HLS_msn=12&_HLS_part=3&" + SESSION + " " + auth,
                                    "/streaming/live/1/elsewhere.m3u8 " + auth);
                } finally {
                    mediamtx.stop(0);
                }
            }
        }
    }

    /** GET {@code url}, with a cookie the relay must not pass on, as a browser would send one of its own. */
    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Cookie", "hlsSession=6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
