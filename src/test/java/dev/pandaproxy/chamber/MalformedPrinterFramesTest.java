package dev.pandaproxy.chamber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.TestPattern;
import dev.pandaproxy.status.UpstreamStatus;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.Viewer;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A printer that sends one good frame and then garbage: the proxy drops that printer connection and
 * reconnects, and its viewers stay connected and keep receiving the good frames.
 */
class MalformedPrinterFramesTest {
    private static final int MAX_FRAME = 100_000;
    private static final byte[] GOOD_JPEG = new TestPattern(64, 36, 1).frame(1, 1, 0);

    @TempDir
    Path dir;

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("oversized frame", ChamberCodec.encodeFrameHeader(MAX_FRAME + 1), "frame of 100001 bytes"),
                Arguments.of("zero-length frame", ChamberCodec.encodeFrameHeader(0), "frame of 0 bytes"),
                Arguments.of("wrong flags", header(10, 0), "flags 0"),
                Arguments.of(
                        "not a JPEG",
                        concat(ChamberCodec.encodeFrameHeader(4), new byte[] {'G', 'I', 'F', '8'}),
                        "not a JPEG"),
                Arguments.of(
                        "truncated frame",
                        concat(ChamberCodec.encodeFrameHeader(1000), new byte[10]),
                        "inside a frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageFromThePrinterDropsOnlyThePrinterConnection(String name, byte[] garbage, String reason)
            throws Exception {
        SSLContext printerTls = CertificateAuthority.generate("rogue CA")
                .issue(Fixtures.SERIAL, SubjectNames.forServer(Fixtures.SERIAL, "127.0.0.1", List.of()))
                .serverContext();
        try (SimulatedPrinter unused = Fixtures.printer(dir.resolve("printer"));
                Listener rogue = Listener.start(
                        new Listener.Spec("rogue", "test", "127.0.0.1", 0, 8, () -> {}),
                        () -> TlsPolicy.newServerSocket(printerTls, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                        socket -> {
                            SSLSocket tls = (SSLSocket) socket;
                            tls.getInputStream().readNBytes(ChamberCodec.LOGIN_BYTES);
                            OutputStream out = tls.getOutputStream();
                            out.write(ChamberCodec.encodeFrameHeader(GOOD_JPEG.length));
                            out.write(GOOD_JPEG);
                            out.write(garbage);
                            out.flush();
                            tls.shutdownOutput();
                            tls.getInputStream().readAllBytes();
                        })) {
            Map<String, String> settings = Fixtures.settings(unused, dir.resolve("proxy"));
            settings.put("printer.ports.chamber", String.valueOf(rogue.port()));
            settings.put("printer.trust", "insecure");
            settings.put("camera.max-frame-size", String.valueOf(MAX_FRAME));
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    Viewer viewer = Viewer.connect(
                            Fixtures.trustingProxy(dir.resolve("proxy")),
                            proxy.camera().orElseThrow().port(),
                            Fixtures.CODE)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> viewer.count() >= 3);
                assertThat(viewer.ended()).isNull();
                assertThat(viewer.frames())
                        .allSatisfy(frame -> assertThat(frame.jpeg()).isEqualTo(GOOD_JPEG));
                UpstreamStatus upstream =
                        proxy.camera().orElseThrow().status().upstream().orElseThrow();
                assertThat(upstream.reconnects()).isPositive();
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(proxy.camera()
                                        .orElseThrow()
                                        .status()
                                        .upstream()
                                        .orElseThrow()
                                        .lastError())
                                .hasValueSatisfying(error -> assertThat(error).contains(reason)));
            }
        }
    }

    private static byte[] header(int length, int flags) {
        return ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(length)
                .putInt(0)
                .putInt(flags)
                .putInt(0)
                .array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
