package dev.pandaproxy.chamber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.sim.TestPattern;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.Viewer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chamber camera end to end: simulated printer ← proxy ← viewers, over real sockets and TLS. */
class ChamberCameraTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void twentyViewersShareOnePrinterConnectionAndReceiveTheSimulatorsBytes() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(Fixtures.settings(printer, dir.resolve("proxy")))) {
            SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
            List<Viewer> viewers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                viewers.add(Viewer.connect(tls, proxy.camera().orElseThrow().port(), Fixtures.CODE));
            }
            await().atMost(WAIT).until(() -> viewers.stream().allMatch(v -> v.count() >= 10));

            assertThat(printer.camera().sessions()).as("printer connections").isEqualTo(1);
            assertThat(printer.camera().refusedBusy()).isZero();
            for (Viewer viewer : viewers) {
                assertThat(viewer.ended()).isNull();
                for (ChamberFrame frame : viewer.frames()) {
                    long seq = TestPattern.stamp(frame.jpeg()).orElseThrow().seq();
                    assertThat(Fixtures.digest(frame))
                            .as("frame %d", seq)
                            .isEqualTo(printer.camera().sentDigest(seq).orElseThrow());
                }
            }
            assertThat(camera(proxy).clients()).isEqualTo(20);
            for (Viewer viewer : viewers) {
                viewer.close();
            }
            await().atMost(WAIT).until(() -> camera(proxy).clients() == 0);
        }
    }

    @Test
    void eachFrameHeaderArrivesInATlsRecordOfItsOwnForStrictClients() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(Fixtures.settings(printer, dir.resolve("proxy")));
                SSLSocket socket = loggedInSocket(
                        Fixtures.trustingProxy(dir.resolve("proxy")),
                        proxy.camera().orElseThrow().port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            for (int frame = 0; frame < 3; frame++) {
                // like ha-bambulab and bambulabs_api: a 4096-byte read that returns exactly 16 bytes is a header
                int read = in.read(buffer);
                assertThat(read).as("header read of frame %d", frame).isEqualTo(ChamberCodec.HEADER_BYTES);
                int length = ChamberCodec.decodeFrameHeader(Arrays.copyOf(buffer, read), 10_000_000);
                int body = 0;
                while (body < length) {
                    int n = in.read(buffer, 0, Math.min(buffer.length, length - body));
                    assertThat(n).isPositive();
                    body += n;
                }
            }
        }
    }

    @Test
    void aWrongAccessCodeIsClosedSilentlyAndCounted() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(Fixtures.settings(printer, dir.resolve("proxy")))) {
            SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
            try (ChamberClient client = ChamberClient.connect(
                    tls,
                    "127.0.0.1",
                    proxy.camera().orElseThrow().port(),
                    Secret.of("87654321"),
                    Duration.ofSeconds(5),
                    1_000_000)) {
                assertThatThrownBy(client::readFrame).isInstanceOf(EOFException.class);
            }
            assertThat(camera(proxy).counters()).containsEntry("auth_failures", 1L);
            assertThat(printer.camera().sessions())
                    .as("no printer connection for a rejected viewer")
                    .isZero();
        }
    }

    @Test
    void aViewerThatNeverReadsDoesNotSlowTheOthersAndIsCutOff() throws Exception {
        // big frames fill the stalled viewer's socket buffers quickly
        SimulatorConfig.Camera camera = new SimulatorConfig.Camera(10, 256 * 1024, 320, 180);
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"), camera, 0)) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.write-timeout", "2s");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
                int port = proxy.camera().orElseThrow().port();
                try (SSLSocket stalled = loggedInSocket(tls, port);
                        Viewer fast = Viewer.connect(tls, port, Fixtures.CODE)) {
                    await().atMost(WAIT).until(() -> fast.count() >= 5);
                    int before = fast.count();
                    // while the stalled viewer blocks, the fast one keeps getting (almost) every frame
                    await().atMost(WAIT).until(() -> fast.count() >= before + 40);
                    List<Long> seqs = fast.frames().subList(before, fast.count()).stream()
                            .map(frame -> TestPattern.stamp(frame.jpeg())
                                    .orElseThrow()
                                    .seq())
                            .toList();
                    long span = seqs.getLast() - seqs.getFirst() + 1;
                    assertThat(seqs.size())
                            .as("frames received of %d sent meanwhile", span)
                            .isGreaterThanOrEqualTo((int) (span * 0.9));
                    await().atMost(WAIT).until(() -> camera(proxy).clients() == 1);
                    assertThat(fast.ended()).isNull();
                }
            }
        }
    }

    @Test
    void viewersStayConnectedWhileThePrinterRestartsAndFramesResume() throws Exception {
        Path printerState = dir.resolve("printer");
        SimulatedPrinter printer = Fixtures.printer(printerState);
        int printerPort = printer.camera().port();
        try (PandaProxy proxy = Fixtures.proxy(Fixtures.settings(printer, dir.resolve("proxy")))) {
            SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
            try (Viewer a = Viewer.connect(tls, proxy.camera().orElseThrow().port(), Fixtures.CODE);
                    Viewer b = Viewer.connect(tls, proxy.camera().orElseThrow().port(), Fixtures.CODE)) {
                await().atMost(WAIT).until(() -> a.count() >= 3 && b.count() >= 3);

                printer.close();
                await().atMost(WAIT)
                        .until(() -> camera(proxy).upstream().orElseThrow().state() != UpstreamState.CONNECTED);
                int aBefore = a.count();
                int bBefore = b.count();

                try (SimulatedPrinter restarted =
                        Fixtures.printer(printerState, new SimulatorConfig.Camera(20, 0, 320, 180), printerPort)) {
                    await().atMost(WAIT).until(() -> a.count() >= aBefore + 5 && b.count() >= bBefore + 5);
                    assertThat(a.ended()).isNull();
                    assertThat(b.ended()).isNull();
                    ChamberFrame resumed = a.frames().get(a.count() - 1);
                    long seq = TestPattern.stamp(resumed.jpeg()).orElseThrow().seq();
                    assertThat(Fixtures.digest(resumed))
                            .isEqualTo(restarted.camera().sentDigest(seq).orElseThrow());
                    assertThat(camera(proxy).upstream().orElseThrow().reconnects())
                            .isPositive();
                }
            }
        } finally {
            printer.close();
        }
    }

    @Test
    void thePrinterIsConnectedOnlyWhileSomeoneWatches() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.linger", "300ms");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
                assertThat(camera(proxy).upstream().orElseThrow().state()).isEqualTo(UpstreamState.IDLE);
                assertThat(printer.camera().sessions()).isZero();

                try (Viewer viewer =
                        Viewer.connect(tls, proxy.camera().orElseThrow().port(), Fixtures.CODE)) {
                    await().atMost(WAIT).until(() -> viewer.count() >= 2);
                    assertThat(printer.camera().activeSessions()).isEqualTo(1);
                }
                await().atMost(WAIT)
                        .until(() -> printer.camera().activeSessions() == 0
                                && camera(proxy).upstream().orElseThrow().state() == UpstreamState.IDLE);
                assertThat(printer.camera().sessions()).isEqualTo(1);
            }
        }
    }

    @Test
    void connectionsOverTheLimitAreRefusedAtOnce() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.max-clients", "2");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
                int port = proxy.camera().orElseThrow().port();
                try (Viewer a = Viewer.connect(tls, port, Fixtures.CODE);
                        Viewer b = Viewer.connect(tls, port, Fixtures.CODE)) {
                    await().atMost(WAIT).until(() -> a.count() > 0 && b.count() > 0);
                    assertThatThrownBy(() -> {
                                try (Viewer c = Viewer.connect(tls, port, Fixtures.CODE)) {
                                    await().atMost(WAIT).until(() -> c.ended() != null);
                                    throw c.ended();
                                }
                            })
                            .isInstanceOf(IOException.class);
                    assertThat(camera(proxy).counters()).containsEntry("rejected_connections", 1L);
                    assertThat(a.ended()).isNull();
                }
            }
        }
    }

    @Test
    void aClientThatNeverLogsInIsClosedAfterTheAuthTimeout() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("camera.auth-timeout", "300ms");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    SSLSocket silent = (SSLSocket) Fixtures.trustingProxy(dir.resolve("proxy"))
                            .getSocketFactory()
                            .createSocket(
                                    "127.0.0.1", proxy.camera().orElseThrow().port())) {
                silent.startHandshake();
                silent.setSoTimeout((int) WAIT.toMillis());
                InputStream in = silent.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (SocketException e) {
                    read = -1;
                }
                assertThat(read).as("closed without data").isEqualTo(-1);
            }
        }
    }

    private static SSLSocket loggedInSocket(SSLContext tls, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        socket.setReceiveBufferSize(4096); // before connecting, so the advertised window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.startHandshake();
        socket.getOutputStream().write(ChamberCodec.encodeLogin("bblp", Fixtures.CODE.getBytes()));
        socket.getOutputStream().flush();
        return socket;
    }

    private static ServiceStatus camera(PandaProxy proxy) {
        return proxy.camera().orElseThrow().status();
    }
}
