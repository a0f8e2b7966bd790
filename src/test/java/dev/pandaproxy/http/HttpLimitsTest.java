package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.SimulatedPrinterExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP listeners' limits, seen by raw TCP clients: a deadline for each request line, a connection cap. */
class HttpLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final SimulatedPrinterExtension PRINTER = new SimulatedPrinterExtension();

    @Test
    void connectionsThatSendNothingOrHalfARequestLineAreClosedAfterTheIdleTimeout() throws Exception {
        Map<String, String> settings = Fixtures.settings(PRINTER.printer(), dir.resolve("idle"));
        settings.put("http.idle-timeout", "1s");
        try (PandaProxy proxy = Fixtures.proxy(settings);
                Socket silent = new Socket("127.0.0.1", proxy.httpPort());
                Socket silentTls = new Socket("127.0.0.1", proxy.httpsPort());
                Socket halfway = new Socket("127.0.0.1", proxy.httpPort())) {
            halfway.getOutputStream().write("GET /sta".getBytes(StandardCharsets.US_ASCII));
            for (Socket socket : List.of(silent, silentTls, halfway)) {
                socket.setSoTimeout((int) WAIT.toMillis());
                assertThat(readsToEnd(socket)).as("closed by the proxy").isTrue();
            }
        }
    }

    @Test
    void aConnectionTricklingItsHeadersIsClosedAfterTheIdleTimeout() throws Exception {
        Map<String, String> settings = Fixtures.settings(PRINTER.printer(), dir.resolve("trickle"));
        settings.put("http.idle-timeout", "1s");
        try (PandaProxy proxy = Fixtures.proxy(settings);
                Socket slow = new Socket("127.0.0.1", proxy.httpPort())) {
            slow.setSoTimeout(200);
            slow.getOutputStream()
                    .write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            // a header byte every 200 ms: never idle, never done; the proxy must end it (in 1 s, checked every 250 ms)
            boolean closed = false;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!closed && System.nanoTime() < deadline) {
                try {
                    slow.getOutputStream().write('a');
                    closed = slow.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet: trickle on
                } catch (IOException closedOrReset) {
                    closed = true;
                }
            }
            assertThat(closed)
                    .as("closed by the proxy while its headers trickled in")
                    .isTrue();
        }
    }

    @Test
    void anMjpegStreamOutlivesTheIdleTimeout() throws Exception {
        Map<String, String> settings = Fixtures.settings(PRINTER.printer(), dir.resolve("stream"));
        settings.put("http.idle-timeout", "500ms");
        settings.put("http.plain-camera", "true");
        try (PandaProxy proxy = Fixtures.proxy(settings);
                Socket socket = new Socket("127.0.0.1", proxy.httpPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream()
                    .write(("GET /camera/stream.mjpeg HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    ("bblp:" + Fixtures.CODE).getBytes(StandardCharsets.US_ASCII))
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            // 60 frames at the simulator's 20 per second: three seconds, six times the limit
            InputStream in = socket.getInputStream();
            int boundaries = 0;
            byte[] marker = "--pandaproxy-frame".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            while (boundaries < 60) {
                int b = in.read();
                assertThat(b).as("the stream goes on").isNotNegative();
                matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
                if (matched == marker.length) {
                    boundaries++;
                    matched = 0;
                }
            }
        }
    }

    @Test
    void connectionsOverTheCapGetNoService() throws Exception {
        Map<String, String> settings = Fixtures.settings(PRINTER.printer(), dir.resolve("cap"));
        settings.put("http.max-connections", "2");
        try (PandaProxy proxy = Fixtures.proxy(settings)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    held.add(new Socket("127.0.0.1", proxy.httpPort()));
                }
                try (Socket third = new Socket("127.0.0.1", proxy.httpPort())) {
                    third.setSoTimeout(3000);
                    third.getOutputStream()
                            .write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    assertThat(firstBytes(third)).as("no answer over the cap").isEmpty();
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            // with the held connections gone, a client is served again
            await().atMost(WAIT).until(() -> {
                try (Socket socket = new Socket("127.0.0.1", proxy.httpPort())) {
                    socket.setSoTimeout(3000);
                    socket.getOutputStream()
                            .write("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                    return firstBytes(socket).startsWith("HTTP/1.1 200");
                }
            });
        }
    }

    /** Reads until EOF or a reset; false if the connection stays open past the socket's timeout. */
    private static boolean readsToEnd(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // an error page may come first
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Up to 64 bytes of the answer, or empty if the connection ends or stays silent. */
    private static String firstBytes(Socket socket) {
        byte[] buffer = new byte[64];
        try {
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
