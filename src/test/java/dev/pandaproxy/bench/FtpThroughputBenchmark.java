package dev.pandaproxy.bench;

import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.testing.Vsftpd;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * FTPS throughput: a 200 MB upload and download with curl, directly to a vsftpd set up like a printer
 * ({@code require_ssl_reuse=YES}) and through PandaProxy (its own JVM) to the same vsftpd, in one run.
 * Needs what the vsftpd tests need (root, a {@code bblp} user, vsftpd and curl installed).
 */
public final class FtpThroughputBenchmark {
    private static final String SERIAL = "01P00A000000001";
    private static final String CODE = "12345678";
    private static final int ROUNDS = 5;

    private FtpThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        int megabytes = Integer.getInteger("bench.megabytes", 200);
        Path dir = Files.createTempDirectory("pandaproxy-ftp-bench");
        Path curl = RealPeers.require("curl");
        Path file = dir.resolve("payload.bin");
        writeRandom(file, megabytes * 1_000_000L);
        try (Vsftpd printer = Vsftpd.start(
                dir,
                CertificateAuthority.generate("bench CA")
                        .issue(SERIAL, SubjectNames.forServer(SERIAL, "127.0.0.1", List.of())),
                39_300,
                39_320)) {
            int proxyPort = ProxyProcess.freePort();
            String yaml = """
                    printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {ftp: %d}}
                    proxy: {bind: 127.0.0.1, services: [ftp], state-dir: %s, ports: {ftp: %d}}
                    """.formatted(SERIAL, CODE, printer.port(), dir.resolve("proxy"), proxyPort);
            try (ProxyProcess proxy = ProxyProcess.start(dir, yaml)) {
                System.out.printf(
                        "FTPS throughput with curl, %d MB, median (min–max) of %d rounds taken in turns, %d cores%n%n",
                        megabytes, ROUNDS, Runtime.getRuntime().availableProcessors());
                Target directly = new Target("ftps://127.0.0.1:" + printer.port(), List.of("-k"));
                Target throughProxy = new Target(
                        "ftps://127.0.0.1:" + proxyPort,
                        List.of("--cacert", dir.resolve("proxy/ca.pem").toString()));
                // untimed: proves each path returns the file intact (and warms the proxy up); the timed downloads
                // then go to /dev/null, so writing 200 MB to disk, and its writeback, is not part of the figures
                for (Target target : List.of(directly, throughProxy)) {
                    transfer(curl, target, List.of("-T", file.toString()));
                    transfer(curl, target, List.of("-o", dir.resolve("back.bin").toString()));
                    if (Files.mismatch(file, dir.resolve("back.bin")) != -1) {
                        throw new IllegalStateException("the file downloaded from " + target.base() + " differs");
                    }
                }
                // the two paths take turns, so whatever else slows this machine down meanwhile hits both alike
                List<Double> directUploads = new ArrayList<>();
                List<Double> directDownloads = new ArrayList<>();
                List<Double> proxiedUploads = new ArrayList<>();
                List<Double> proxiedDownloads = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    for (Target target : List.of(directly, throughProxy)) {
                        double upload = megabytes / transfer(curl, target, List.of("-T", file.toString()));
                        double download = megabytes / transfer(curl, target, List.of("-o", "/dev/null"));
                        (target == directly ? directUploads : proxiedUploads).add(upload);
                        (target == directly ? directDownloads : proxiedDownloads).add(download);
                    }
                }
                System.out.println("| path | upload MB/s | download MB/s |");
                System.out.println("|---|---|---|");
                System.out.printf("| direct to vsftpd | %s | %s |%n", spread(directUploads), spread(directDownloads));
                System.out.printf(
                        "| through PandaProxy | %s | %s |%n", spread(proxiedUploads), spread(proxiedDownloads));
                System.out.printf(
                        "| ratio of the medians | %.2f | %.2f |%n",
                        median(proxiedUploads) / median(directUploads),
                        median(proxiedDownloads) / median(directDownloads));
            }
        }
        System.out.println();
        System.out.println("Target: through the proxy at least 0.8 of direct.");
    }

    /** Where curl connects, and how it trusts the server. */
    private record Target(String base, List<String> tls) {}

    /** Seconds one curl run takes to move {@code bench.bin}, from its start to its exit. */
    private static double transfer(Path curl, Target target, List<String> direction) throws Exception {
        List<String> transfer = new ArrayList<>(direction);
        transfer.add(target.base() + "/bench.bin");
        return seconds(curl, target.tls(), transfer);
    }

    private static String spread(List<Double> values) {
        return "%.0f (%.0f–%.0f)"
                .formatted(
                        median(values),
                        values.stream().mapToDouble(v -> v).min().orElseThrow(),
                        values.stream().mapToDouble(v -> v).max().orElseThrow());
    }

    private static double seconds(Path curl, List<String> tls, List<String> transfer) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "-u", "bblp:" + CODE));
        command.addAll(tls);
        command.addAll(transfer);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("curl failed: " + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(1);
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }
}
