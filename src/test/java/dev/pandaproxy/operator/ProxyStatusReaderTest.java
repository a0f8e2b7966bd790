package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the operator believes of a pod's {@code /status}: a proxy's report is read, and a pod that answers more than a
 * proxy would, or never finishes answering, yields nothing instead of holding the operator.
 */
class ProxyStatusReaderTest {
    private static final String REPORT = """
            {"services":[{"service":"mqtt","clients":2,"upstream":{"state":"CONNECTED"}},
                         {"service":"camera","clients":1,"upstream":{"state":"IDLE"}}]}""";

    @Test
    void aProxysReportIsRead() throws Exception {
        try (FakePod pod = new FakePod(REPORT.getBytes(StandardCharsets.UTF_8), false)) {
            Optional<ProxyStatusReader.Report> report = new ProxyStatusReader().read("127.0.0.1", pod.port());
            assertThat(report).hasValueSatisfying(r -> {
                assertThat(r.clients()).isEqualTo(Map.of("mqtt", 2, "camera", 1));
                assertThat(r.reachable()).contains(true);
            });
        }
    }

    /**
     * A whole {@code /status} as the proxy writes it: instants as ISO-8601 text, an empty optional as null, pins by port
     * as object keys, and a field the operator does not know.
     */
    @Test
    void aProxysWholeStatusIsRead() throws Exception {
        String status = """
                {
                  "version" : "0.1.0",
                  "startedAt" : "2026-12-01T10:00:00.123456Z",
                  "printer" : { "host" : "192.168.1.42", "serial" : "01S00C123456789", "trust" : "pin" },
                  "caFingerprint" : "AB:CD",
                  "printerPins" : { "8883" : "AA:BB:CC", "990" : "DD:EE" },
                  "camera" : { "type" : "chamber", "detail" : null },
                  "services" : [ {
                    "service" : "mqtt",
                    "listen" : "0.0.0.0:8883",
                    "clients" : 1,
                    "connected" : [ { "address" : "10.0.0.7:50112", "clientId" : "slicer", "since" : "2026-12-01T10:01:00Z" } ],
                    "upstream" : {
                      "target" : "192.168.1.42:8883",
                      "state" : "BACKOFF",
                      "since" : "2026-12-01T10:02:00Z",
                      "lastError" : "connect timed out",
                      "connects" : 1,
                      "reconnects" : 4
                    },
                    "counters" : { "auth_failures" : 2 }
                  }, {
                    "service" : "ftp",
                    "listen" : "0.0.0.0:990",
                    "clients" : 0,
                    "connected" : [ ],
                    "upstream" : null,
                    "counters" : { },
                    "addedByANewerProxy" : true
                  } ]
                }""";
        try (FakePod pod = new FakePod(status.getBytes(StandardCharsets.UTF_8), false)) {
            Optional<ProxyStatusReader.Report> report = new ProxyStatusReader().read("127.0.0.1", pod.port());
            assertThat(report).hasValueSatisfying(r -> {
                assertThat(r.clients()).isEqualTo(Map.of("mqtt", 1, "ftp", 0));
                assertThat(r.reachable()).contains(false);
                assertThat(r.detail()).isEqualTo("mqtt: connect timed out");
                assertThat(r.pins()).isEqualTo(Map.of(8883, "AA:BB:CC", 990, "DD:EE"));
            });
        }
    }

    @Test
    void anAnswerThatIsNotAProxysStatusYieldsNothing() throws Exception {
        for (String body : List.of("<html>not found</html>", "{\"services\": \"none\"}")) {
            try (FakePod pod = new FakePod(body.getBytes(StandardCharsets.UTF_8), false)) {
                assertThat(new ProxyStatusReader().read("127.0.0.1", pod.port()))
                        .as(body)
                        .isEmpty();
            }
        }
    }

    @Test
    void aPrinterFailingOnEveryConnectionIsUnreachableAndOnlyWellFormedPinsAreKept() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        ProxyStatus status = new ProxyStatus(
                "0.1.0",
                now,
                new ProxyStatus.Printer("192.168.1.42", Printers.SERIAL, "pin"),
                "AB:CD",
                Map.of(8883, "AA:BB:CC", 990, "not a fingerprint\nport.6000=00"),
                Optional.empty(),
                List.of(
                        new ServiceStatus(
                                "mqtt",
                                "0.0.0.0:8883",
                                1,
                                List.of(),
                                Optional.of(new UpstreamStatus(
                                        "192.168.1.42:8883",
                                        UpstreamState.BACKOFF,
                                        now,
                                        Optional.of("connect timed out"),
                                        0,
                                        3)),
                                Map.of()),
                        new ServiceStatus("camera", "0.0.0.0:6000", 0, List.of(), Optional.empty(), Map.of())));

        ProxyStatusReader.Report report = ProxyStatusReader.Report.of(status);

        assertThat(report.clients()).isEqualTo(Map.of("mqtt", 1, "camera", 0));
        assertThat(report.reachable()).contains(false);
        assertThat(report.detail()).isEqualTo("mqtt: connect timed out");
        assertThat(report.pins()).isEqualTo(Map.of(8883, "AA:BB:CC"));
    }

    @Test
    void anAnswerLargerThanAProxysIsNotRead() throws Exception {
        // valid JSON, so only its size can refuse it; far larger than what socket buffers hold
        byte[] body = (" ".repeat(32 << 20) + REPORT).getBytes(StandardCharsets.UTF_8);
        try (FakePod pod = new FakePod(body, false)) {
            assertThat(new ProxyStatusReader().read("127.0.0.1", pod.port())).isEmpty();
            assertThat(pod.sent())
                    .as("bytes the pod could send before the operator stopped reading")
                    .isLessThan(body.length);
        }
    }

    @Test
    void anAnswerThatNeverEndsIsGivenUpAtTheDeadline() throws Exception {
        try (FakePod pod = new FakePod(REPORT.getBytes(StandardCharsets.UTF_8), true)) {
            assertThat(new ProxyStatusReader().read("127.0.0.1", pod.port())).isEmpty();
        }
    }

    /** One HTTP answer on loopback: the body with its length, or the headers and then nothing, never closing. */
    private static final class FakePod implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread;
        private volatile long sent;

        FakePod(byte[] body, boolean stall) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    if (stall) {
                        out.flush();
                        Thread.sleep(Long.MAX_VALUE); // holds the answer open until the test ends
                    }
                    for (int offset = 0; offset < body.length; offset += 8192) {
                        int length = Math.min(8192, body.length - offset);
                        out.write(body, offset, length);
                        sent += length;
                    }
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // the reader went away, or the test ended
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        long sent() {
            return sent;
        }

        @Override
        public void close() throws IOException {
            thread.interrupt();
            server.close();
        }
    }
}
