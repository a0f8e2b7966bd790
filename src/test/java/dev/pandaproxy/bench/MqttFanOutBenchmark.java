package dev.pandaproxy.bench;

import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.testing.MosquittoBroker;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * MQTT fan-out: a real mosquitto broker plays the printer, the benchmark publishes reports to it (10 per
 * second of ~2 KB, and a ~30 KB full report every 10 s), and N subscribers read them through PandaProxy
 * (its own JVM) and, for comparison, through a mosquitto bridge doing the same job. Per N it reports the
 * latency from publish to receipt (and the same for subscribers of the "printer" itself, the baseline the
 * proxy adds to), messages lost, and the broker's memory per connected client.
 */
public final class MqttFanOutBenchmark {
    private static final String SERIAL = "01P00A000000001";
    private static final String CODE = "12345678";
    private static final String REPORT = "device/" + SERIAL + "/report";
    private static final Pattern STAMP = Pattern.compile("\"bench_seq\":(\\d+),\"sent_us\":(\\d+)");

    private MqttFanOutBenchmark() {}

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        List<Integer> clientCounts = Arrays.stream(
                        System.getProperty("bench.clients", "10,100,500").split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
        Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        Path dir = Files.createTempDirectory("pandaproxy-mqtt-bench");
        SSLContext trustAll = PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), dir.resolve("pins"), SERIAL)
                .clientContext();
        CertificateAuthority ca = CertificateAuthority.generate("bench CA");
        var identity = ca.issue(SERIAL, SubjectNames.forServer(SERIAL, "127.0.0.1", List.of()));
        try (MosquittoBroker printer = MosquittoBroker.start(dir, "printer", identity, CODE, "")) {
            String bridge = """
                    connection printer
                    address 127.0.0.1:%d
                    bridge_insecure true
                    bridge_cafile %s
                    bridge_tls_version tlsv1.2
                    remote_username bblp
                    remote_password %s
                    remote_clientid bench-bridge
                    topic device/# both 0
                    cleansession true
                    try_private false
                    notifications false
                    """.formatted(printer.port(), writeCa(dir, ca), CODE);
            int proxyPort = ProxyProcess.freePort();
            String yaml = """
                    printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {mqtt: %d}}
                    proxy: {bind: 127.0.0.1, services: [mqtt], state-dir: %s, ports: {mqtt: %d}}
                    mqtt: {max-clients: 2000}
                    """.formatted(SERIAL, CODE, printer.port(), dir.resolve("proxy"), proxyPort);
            try (MqttClients.Raw publisher = login(trustAll, printer.port(), "bench-printer");
                    ProxyProcess proxy = ProxyProcess.start(dir, yaml);
                    MosquittoBroker mosquittoBridge = MosquittoBroker.start(dir, "bridge", identity, CODE, bridge)) {
                System.out.printf(
                        "MQTT fan-out: 10 reports/s of ~2 KB and a ~30 KB report every 10 s, %d s per round, %d cores%n%n",
                        window.toSeconds(), Runtime.getRuntime().availableProcessors());
                // warm-up (not reported): the proxy's JIT compiles its hot paths
                measure(
                        "PandaProxy",
                        proxyPort,
                        proxy.pid(),
                        proxy::liveHeapKiB,
                        10,
                        trustAll,
                        publisher,
                        Duration.ofSeconds(5));
                measure(
                        "mosquitto bridge",
                        mosquittoBridge.port(),
                        mosquittoBridge.pid(),
                        () -> rssKiB(mosquittoBridge.pid()),
                        10,
                        trustAll,
                        publisher,
                        Duration.ofSeconds(5));
                System.out.println(
                        "| broker | subscribers | published | lost (all subscribers) | latency p50 / p99 (ms) "
                                + "| memory per client (KiB: proxy heap, mosquitto RSS) | broker CPU |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int clients : clientCounts) {
                    Round direct = measure(
                            "direct to the printer",
                            printer.port(),
                            printer.pid(),
                            () -> rssKiB(printer.pid()),
                            clients,
                            trustAll,
                            publisher,
                            window);
                    System.out.println(direct.row());
                    Round ours = measure(
                            "PandaProxy",
                            proxyPort,
                            proxy.pid(),
                            proxy::liveHeapKiB,
                            clients,
                            trustAll,
                            publisher,
                            window);
                    System.out.println(ours.row());
                    Round theirs = measure(
                            "mosquitto bridge",
                            mosquittoBridge.port(),
                            mosquittoBridge.pid(),
                            () -> rssKiB(mosquittoBridge.pid()),
                            clients,
                            trustAll,
                            publisher,
                            window);
                    System.out.println(theirs.row());
                }
            }
        }
        System.out.println();
        System.out.println("Targets: 500 subscribers, added p99 <= 10 ms, no loss for subscribers that keep up.");
    }

    private record Round(
            String broker,
            int clients,
            long published,
            long lost,
            long[] latencies,
            double kibPerClient,
            double cpuPercent) {
        String row() {
            return String.format(
                    "| %s | %d | %d | %d | %.1f / %.1f | %.0f | %.0f %% |",
                    broker, clients, published, lost, percentile(0.50), percentile(0.99), kibPerClient, cpuPercent);
        }

        private double percentile(double p) {
            return latencies.length == 0
                    ? Double.NaN
                    : latencies[(int) Math.min(latencies.length - 1, p * latencies.length)] / 1000.0;
        }
    }

    /** How much memory a broker holds: the proxy's live Java heap, mosquitto's resident memory. */
    @FunctionalInterface
    private interface MemoryProbe {
        long kib() throws Exception;
    }

    private static Round measure(
            String broker,
            int port,
            long brokerPid,
            MemoryProbe memory,
            int clients,
            SSLContext tls,
            MqttClients.Raw publisher,
            Duration window)
            throws Exception {
        long memoryBefore = memory.kib();
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            subscribers.add(new Subscriber(login(tls, port, broker.replace(' ', '-') + "-" + i)));
        }
        Thread.sleep(Duration.ofSeconds(2)); // the bridge and the proxy settle their subscriptions
        double kibPerClient = (memory.kib() - memoryBefore) / (double) clients;
        long cpuBefore = cpuMillis(brokerPid);
        long start = System.nanoTime();
        int published = 0;
        long interval = 100_000_000L; // 10 per second
        while (System.nanoTime() - start < window.toNanos()) {
            publisher.send(
                    new Publish(false, 0, false, REPORT, 0, report(published, published % 100 == 0 ? 30_000 : 2_000)));
            published++;
            long due = start + published * interval;
            Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
        }
        long elapsed = System.nanoTime() - start;
        double cpu = 100.0 * (cpuMillis(brokerPid) - cpuBefore) / (elapsed / 1_000_000.0);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long expected = published;
        while (System.nanoTime() < deadline && subscribers.stream().anyMatch(s -> s.count < expected)) {
            Thread.sleep(50);
        }
        long lost = 0;
        List<long[]> latencies = new ArrayList<>();
        for (Subscriber subscriber : subscribers) {
            subscriber.close();
            lost += Math.max(0, published - subscriber.count);
            latencies.add(Arrays.copyOf(subscriber.latencies, subscriber.count));
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Round(broker, clients, published, lost, all, kibPerClient, cpu);
    }

    private static byte[] report(int seq, int size) {
        String head = "{\"print\":{\"bench_seq\":" + seq + ",\"sent_us\":"
                + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + ",\"command\":\"push_status\",\"pad\":\"";
        return (head + "x".repeat(Math.max(0, size - head.length() - 3)) + "\"}}").getBytes(StandardCharsets.US_ASCII);
    }

    private static MqttClients.Raw login(SSLContext tls, int port, String clientId) throws IOException {
        MqttClients.Raw client = new MqttClients.Raw(tls, port);
        client.send(new Connect(
                4, true, 60, clientId, Optional.empty(), Optional.of("bblp"), Optional.of(CODE.getBytes())));
        if (!(client.read() instanceof ConnAck ack) || ack.returnCode() != 0) {
            throw new IOException(clientId + " could not log in");
        }
        return client;
    }

    private static Path writeCa(Path dir, CertificateAuthority ca) throws IOException {
        return Files.writeString(dir.resolve("bench-ca.pem"), Pem.encode(List.of(ca.certificate())));
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).getFirst();
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /** A subscriber counting the benchmark's reports and how late they arrive. */
    private static final class Subscriber {
        private final MqttClients.Raw client;
        private final Thread reader;
        private long[] latencies = new long[1024];
        private volatile int count;

        Subscriber(MqttClients.Raw client) throws IOException {
            this.client = client;
            client.socket().setSoTimeout(0); // connecting hundreds of clients takes longer than a read timeout
            client.send(new Subscribe(1, List.of(new TopicRequest(REPORT, 0))));
            this.reader = Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try {
                while (true) {
                    MqttPacket packet = client.read();
                    if (packet instanceof Publish publish) {
                        long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                        Matcher m = STAMP.matcher(new String(
                                publish.payload(),
                                0,
                                Math.min(120, publish.payload().length),
                                StandardCharsets.US_ASCII));
                        if (m.find()) {
                            if (count == latencies.length) {
                                latencies = Arrays.copyOf(latencies, count * 2);
                            }
                            latencies[count] = now - Long.parseLong(m.group(2));
                            count++;
                        }
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
