package dev.pandaproxy.bench;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.sim.TestPattern;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Chamber camera fan-out: a simulated printer streaming 30 fps of ~150 KB frames, the proxy in its own
 * JVM, N viewers in this one. Per N it reports the frames each viewer received (as a share of those the
 * printer sent in the window), the latency from the printer's send stamp to a viewer having the whole
 * frame (p50/p99, beside the same figure for one viewer connected to the printer directly), and the
 * proxy's CPU and memory.
 *
 * <p>Run with {@code ./mvnw -Pbench} (see the profile in pom.xml for the knobs).
 */
public final class ChamberFanOutBenchmark {
    private static final String SERIAL = "01P00A000000001";
    private static final String CODE = "12345678";

    private ChamberFanOutBenchmark() {}

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        System.setProperty("java.awt.headless", "true");
        List<Integer> clientCounts = Arrays.stream(
                        System.getProperty("bench.clients", "1,50,200").split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
        Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 3));
        int frameBytes = Integer.getInteger("bench.frame-bytes", 150_000);
        double fps = Double.parseDouble(System.getProperty("bench.fps", "30"));

        Path dir = Files.createTempDirectory("pandaproxy-bench");
        SSLContext trustAll = PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), dir.resolve("pins"), SERIAL)
                .clientContext();
        try (SimulatedPrinter printer = SimulatedPrinter.start(new SimulatorConfig(
                "127.0.0.1",
                SERIAL,
                Secret.of(CODE),
                new ServicePorts(0, 0, 0, 0),
                dir.resolve("printer"),
                new SimulatorConfig.Camera(fps, frameBytes, 1280, 720)))) {
            System.out.printf(
                    "Chamber fan-out: %.0f fps of %d-byte frames, %d s per round after %d s warm-up, %d cores%n%n",
                    fps,
                    frameBytes,
                    window.toSeconds(),
                    warmup.toSeconds(),
                    Runtime.getRuntime().availableProcessors());
            int maxFrameBytes = 2 * frameBytes; // frames are padded to about frameBytes
            Round direct = measure(printer, printer.camera().port(), 1, trustAll, maxFrameBytes, warmup, window, null);
            System.out.printf(
                    "Direct to the printer, 1 viewer: latency p50 %.1f ms, p99 %.1f ms%n%n",
                    direct.p50(), direct.p99());

            int proxyPort = ProxyProcess.freePort();
            String yaml = """
                    printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {chamber: %d}}
                    proxy: {bind: 127.0.0.1, services: [camera], state-dir: %s, ports: {chamber: %d}}
                    camera: {max-clients: 1000}
                    """.formatted(SERIAL, CODE, printer.camera().port(), dir.resolve("proxy"), proxyPort);
            try (ProxyProcess proxy = ProxyProcess.start(dir, yaml)) {
                System.out.println("| viewers | frames sent | frames per viewer min / median | latency p50 / p99 (ms) "
                        + "| added p50 / p99 (ms) | proxy CPU | proxy RSS now / peak (MiB) |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int clients : clientCounts) {
                    Round round = measure(printer, proxyPort, clients, trustAll, maxFrameBytes, warmup, window, proxy);
                    System.out.printf(
                            "| %d | %d | %.1f %% / %.1f %% | %.1f / %.1f | %.1f / %.1f | %.0f %% | %d / %d |%n",
                            clients,
                            round.sent,
                            round.minShare(),
                            round.medianShare(),
                            round.p50(),
                            round.p99(),
                            round.p50() - direct.p50(),
                            round.p99() - direct.p99(),
                            round.cpuPercent,
                            round.rss,
                            round.peakRss);
                }
            }
        }
        System.out.println();
        System.out.println(
                "Targets at 200 viewers: every viewer >= 95 % of frames, added p99 <= 25 ms, RSS <= 256 MiB.");
    }

    /**
     * One measured round: per-viewer frame counts and every latency, in microseconds; the proxy's CPU, resident
     * memory (MiB) and live heap after a full collection (KiB), taken with the viewers still connected.
     */
    record Round(
            long sent,
            long[] received,
            long[] latenciesMicros,
            double cpuPercent,
            long rss,
            long peakRss,
            long liveHeapKiB) {
        double minShare() {
            return 100.0 * Arrays.stream(received).min().orElse(0) / Math.max(1, sent);
        }

        double medianShare() {
            long[] sorted = received.clone();
            Arrays.sort(sorted);
            return 100.0 * sorted[sorted.length / 2] / Math.max(1, sent);
        }

        double p50() {
            return percentile(0.50);
        }

        double p99() {
            return percentile(0.99);
        }

        private double percentile(double p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            return latenciesMicros[(int) Math.min(latenciesMicros.length - 1, p * latenciesMicros.length)] / 1000.0;
        }
    }

    static Round measure(
            SimulatedPrinter printer,
            int port,
            int clients,
            SSLContext tls,
            int maxFrameBytes,
            Duration warmup,
            Duration window,
            ProxyProcess proxy)
            throws Exception {
        // the window is a range of frame numbers: frames the printer sent in it count wherever they arrive
        Window measured = new Window();
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            viewers.add(new Viewer(
                    ChamberClient.connect(
                            tls, "127.0.0.1", port, Secret.of(CODE), Duration.ofSeconds(30), maxFrameBytes),
                    measured,
                    maxFrameBytes));
        }
        Thread.sleep(warmup);
        long cpuBefore = proxy == null ? 0 : proxy.cpuMillis();
        long start = System.nanoTime();
        measured.first = printer.camera().framesSent();
        Thread.sleep(window); // the measured window itself
        measured.end = printer.camera().framesSent();
        long elapsed = System.nanoTime() - start;
        long sent = measured.end - measured.first;
        Thread.sleep(Duration.ofSeconds(2)); // let the window's last frames arrive
        double cpu = proxy == null ? 0 : 100.0 * (proxy.cpuMillis() - cpuBefore) / (elapsed / 1_000_000.0);
        List<Long> rss = proxy == null ? List.of(0L, 0L) : proxy.rssMiB();
        long liveHeap = proxy == null ? 0 : proxy.liveHeapKiB();
        long[] received = new long[clients];
        List<long[]> latencies = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Viewer viewer = viewers.get(i);
            viewer.close();
            received[i] = viewer.count;
            latencies.add(Arrays.copyOf(viewer.latencies, viewer.count));
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Round(sent, received, all, cpu, rss.get(0), rss.get(1), liveHeap);
    }

    /** Frame numbers {@code first} (inclusive) to {@code end} (exclusive). */
    private static final class Window {
        volatile long first = Long.MAX_VALUE;
        volatile long end = Long.MAX_VALUE;

        boolean contains(long seq) {
            return seq >= first && seq < end;
        }
    }

    /** A viewer recording, for the frames of the window, how many it got and how late. */
    private static final class Viewer {
        private final ChamberClient client;
        private final Window measuring;
        private final Thread reader;
        private final int maxFrameBytes;
        private long[] latencies = new long[4096];
        private volatile int count;

        Viewer(ChamberClient client, Window measuring, int maxFrameBytes) {
            this.client = client;
            this.measuring = measuring;
            this.maxFrameBytes = maxFrameBytes;
            this.reader = Thread.ofVirtual().start(this::read);
        }

        private void read() {
            byte[] jpeg = new byte[maxFrameBytes]; // one buffer for every frame: no garbage, no GC pauses of our own
            try {
                while (true) {
                    client.readFrameInto(jpeg);
                    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                    TestPattern.Stamp stamp = TestPattern.stamp(jpeg).orElseThrow();
                    if (measuring.contains(stamp.seq())) {
                        long sent = stamp.sentEpochMicros();
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count] = now - sent;
                        count++;
                    }
                }
            } catch (IOException e) {
                // closed at the end of the round
            }
        }

        void close() throws Exception {
            client.close();
            reader.join();
        }
    }
}
