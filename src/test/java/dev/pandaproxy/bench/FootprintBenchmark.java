package dev.pandaproxy.bench;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The proxy's memory under the loads of issue 15, with the JVM options of {@code target/jvm.options} (unless
 * {@code -Dbench.proxy-jvm} says otherwise): camera, MQTT and FTPS connected to a simulated printer, then idle,
 * 1 viewer, 50 viewers plus 10 MQTT clients at 5 fps, and (a second proxy, the printer at 30 fps) 200 viewers.
 * Per load: resident memory now and at its peak, the live heap after a full collection, and for the camera
 * loads the frames each viewer got and the latency added to the direct path. Also the time from starting
 * the proxy's JVM to its readiness check answering 200 with every service listening. The measured proxies
 * find their CA and certificate stored by a first start, as a proxy does day to day.
 *
 * <p>Two references run in the same round: {@link HelidonFloor}, the web stack alone with the same options (what
 * no proxy on this stack can go below), and the proxy as {@code java -jar} starts it. The loads then run as the
 * image runs the proxy, with an AOT cache made by a training run like the Dockerfile's.
 */
public final class FootprintBenchmark {
    private static final String SERIAL = "01P00A000000001";
    private static final String CODE = "12345678";
    private static final int FRAME_BYTES = 135_000;
    private static final int MQTT_CLIENTS = 10;

    private FootprintBenchmark() {}

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("bench.proxy-jvm", "").isBlank()) {
            System.setProperty("bench.proxy-jvm", "@" + System.getProperty("bench.jvm-options", "target/jvm.options"));
        }
        Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        Duration warmup = Duration.ofSeconds(3);
        Path dir = Files.createTempDirectory("pandaproxy-footprint");
        SSLContext trustAll = PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), dir.resolve("pins"), SERIAL)
                .clientContext();
        System.out.printf(
                "Footprint: proxy JVM options %s, %s, %d cores, %d-byte frames, %d s per camera round%n%n",
                System.getProperty("bench.proxy-jvm"),
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                FRAME_BYTES,
                window.toSeconds());
        System.out.println(
                "| load | ready (ms) | RSS now / peak (MiB) | live heap after GC (MiB) | frames per viewer, min "
                        + "| added p50 / p99 (ms) | proxy CPU |");
        System.out.println("|---|---|---|---|---|---|---|");
        int cameraPort = ProxyProcess.freePort();
        int mqttPort = ProxyProcess.freePort();
        try (ProxyProcess floor = ProxyProcess.startFloor(Files.createDirectories(dir.resolve("floor")))) {
            Thread.sleep(Duration.ofSeconds(10));
            floor.get("/observe/metrics");
            idle("Helidon SE alone (health, metrics), the stack's floor", floor, floor.readyMillis());
        }
        // a proxy as it runs day to day: its CA and certificate already stored (the first start creates them)
        try (SimulatedPrinter printer = printer(dir.resolve("printer-first"), 5);
                ProxyProcess first = ProxyProcess.start(
                        Files.createDirectories(dir.resolve("proxy-first")),
                        yaml(printer, dir.resolve("proxy-state"), cameraPort, mqttPort))) {
            System.out.printf(
                    "| first start (creates the CA) | %d | %d / %d | | | | |%n",
                    first.readyMillis(), first.rssMiB().get(0), first.rssMiB().get(1));
        }
        try (SimulatedPrinter printer = printer(dir.resolve("printer-plain"), 5);
                ProxyProcess proxy = ProxyProcess.start(
                        Files.createDirectories(dir.resolve("proxy-plain")),
                        yaml(printer, dir.resolve("proxy-state"), cameraPort, mqttPort))) {
            Thread.sleep(Duration.ofSeconds(10)); // connected to the printer and settled
            idle("idle, `java -jar` (no AOT cache)", proxy, proxy.readyMillis());
        }
        // the image's start: the AOT cache of a training run against a simulator, as the Dockerfile makes it
        String[] aot = aotCache(dir);
        String label = aot.length == 0 ? "" : " (AOT cache)";
        try (SimulatedPrinter printer = printer(dir.resolve("printer-5fps"), 5);
                ProxyProcess proxy = ProxyProcess.start(
                        Files.createDirectories(dir.resolve("proxy-5fps")),
                        yaml(printer, dir.resolve("proxy-state"), cameraPort, mqttPort),
                        aot)) {
            Thread.sleep(Duration.ofSeconds(10)); // connected to the printer and settled
            idle("idle" + label, proxy, proxy.readyMillis());
            ChamberFanOutBenchmark.Round direct = ChamberFanOutBenchmark.measure(
                    printer, printer.camera().port(), 1, trustAll, 2 * FRAME_BYTES, warmup, window, null);
            cameraRound("1 viewer, 5 fps", printer, proxy, cameraPort, 1, trustAll, warmup, window, direct);
            List<MqttClients.Raw> mqtt = mqttClients(trustAll, mqttPort);
            try {
                cameraRound(
                        "50 viewers, 5 fps, + 10 MQTT clients",
                        printer,
                        proxy,
                        cameraPort,
                        50,
                        trustAll,
                        warmup,
                        window,
                        direct);
            } finally {
                for (MqttClients.Raw client : mqtt) {
                    client.close();
                }
            }
            Thread.sleep(Duration.ofSeconds(10));
            idle("idle again", proxy, -1);
        }
        try (SimulatedPrinter printer = printer(dir.resolve("printer-30fps"), 30);
                ProxyProcess proxy = ProxyProcess.start(
                        Files.createDirectories(dir.resolve("proxy-30fps")),
                        yaml(printer, dir.resolve("proxy-state"), cameraPort, mqttPort),
                        aot)) {
            ChamberFanOutBenchmark.Round direct = ChamberFanOutBenchmark.measure(
                    printer, printer.camera().port(), 1, trustAll, 2 * FRAME_BYTES, warmup, window, null);
            cameraRound(
                    "200 viewers, 30 fps" + label, printer, proxy, cameraPort, 200, trustAll, warmup, window, direct);
        }
        System.out.println();
        System.out.println(
                "Targets (issue 15): idle <= 64 MB, 50 viewers at 5 fps + 10 MQTT clients <= 96 MB, 200 viewers at "
                        + "30 fps <= 192 MB with every viewer >= 95 % of frames and added p99 <= 25 ms, ready <= 1 s.");
    }

    /**
     * The JVM options that load an AOT cache made as the Dockerfile makes the image's: by
     * {@code src/main/docker/train-aot-cache} for the jar under test, with the JVM options under test. None where the
     * JDK has no AOT cache (before 25) or the proxy runs from the test class path (the cache keeps classes of jars
     * only).
     */
    private static String[] aotCache(Path dir) throws Exception {
        String jar = System.getProperty("bench.proxy-jar", "");
        if (Runtime.version().feature() < 25 || jar.isBlank()) {
            return new String[0];
        }
        Path cache = dir.resolve("pandaproxy.aot");
        ProcessBuilder training = new ProcessBuilder(
                        "sh",
                        "src/main/docker/train-aot-cache",
                        Path.of(jar).toAbsolutePath().getParent().toString(),
                        cache.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.log").toFile());
        training.environment()
                .put("JAVA", ProcessHandle.current().info().command().orElseThrow());
        training.environment().put("JVM_OPTIONS", System.getProperty("bench.proxy-jvm"));
        if (training.start().waitFor() != 0) {
            throw new IllegalStateException("the training run wrote no AOT cache; see " + dir.resolve("training.log"));
        }
        return new String[] {"-XX:AOTCache=" + cache};
    }

    private static void idle(String load, ProxyProcess proxy, long readyMillis) throws Exception {
        List<Long> rss = proxy.rssMiB();
        System.out.printf(
                "| %s | %s | %d / %d | %.1f | | | |%n",
                load,
                readyMillis < 0 ? "" : String.valueOf(readyMillis),
                rss.get(0),
                rss.get(1),
                proxy.liveHeapKiB() / 1024.0);
    }

    private static void cameraRound(
            String load,
            SimulatedPrinter printer,
            ProxyProcess proxy,
            int cameraPort,
            int viewers,
            SSLContext tls,
            Duration warmup,
            Duration window,
            ChamberFanOutBenchmark.Round direct)
            throws Exception {
        ChamberFanOutBenchmark.Round round = ChamberFanOutBenchmark.measure(
                printer, cameraPort, viewers, tls, 2 * FRAME_BYTES, warmup, window, proxy);
        System.out.printf(
                "| %s | | %d / %d | %.1f | %.1f %% | %.1f / %.1f | %.0f %% |%n",
                load,
                round.rss(),
                round.peakRss(),
                round.liveHeapKiB() / 1024.0,
                round.minShare(),
                round.p50() - direct.p50(),
                round.p99() - direct.p99(),
                round.cpuPercent());
    }

    /** MQTT clients subscribed to the printer's reports, each read by a thread of its own until closed. */
    private static List<MqttClients.Raw> mqttClients(SSLContext tls, int port) throws IOException {
        List<MqttClients.Raw> clients = new ArrayList<>();
        for (int i = 0; i < MQTT_CLIENTS; i++) {
            MqttClients.Raw client = new MqttClients.Raw(tls, port);
            client.send(new MqttPacket.Connect(
                    4,
                    true,
                    60,
                    "footprint-" + i,
                    Optional.empty(),
                    Optional.of("bblp"),
                    Optional.of(CODE.getBytes())));
            client.send(new MqttPacket.Subscribe(
                    1, List.of(new MqttPacket.TopicRequest("device/" + SERIAL + "/report", 0))));
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        client.read();
                    }
                } catch (IOException closed) {
                    // the round is over
                }
            });
            clients.add(client);
        }
        return clients;
    }

    private static String yaml(SimulatedPrinter printer, Path dir, int cameraPort, int mqttPort) throws IOException {
        return """
                printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {chamber: %d, mqtt: %d, ftp: %d}}
                proxy: {bind: 127.0.0.1, services: [camera, mqtt, ftp], state-dir: %s, ports: {chamber: %d, mqtt: %d, ftp: %d}}
                camera: {max-clients: 1000}
                """.formatted(
                        SERIAL,
                        CODE,
                        printer.camera().port(),
                        printer.mqtt().port(),
                        printer.ftp().port(),
                        dir.resolve("state"),
                        cameraPort,
                        mqttPort,
                        ProxyProcess.freePort());
    }

    private static SimulatedPrinter printer(Path dir, double fps) throws IOException {
        return SimulatedPrinter.start(new SimulatorConfig(
                "127.0.0.1",
                SERIAL,
                Secret.of(CODE),
                new ServicePorts(0, 0, 0, 0),
                dir,
                new SimulatorConfig.Camera(fps, FRAME_BYTES, 1280, 720)));
    }
}
