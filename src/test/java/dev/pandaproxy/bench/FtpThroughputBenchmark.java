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
    private static final int ROUNDS = 3;

    private FtpThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        int megabytes = Integer.getInteger("bench.megabytes", 200);
        Path dir = Files.createTempDirectory("pandaproxy-ftp-bench");
        Path curl = RealPeers.require("curl");
        Path file = dir.resolve("payload.bin");
        writeRandom(file, megabytes * 1_000_000L);
        try (Vsftpd printer = Vsftpd.start(dir, CertificateAuthority.generate("bench CA")
                .issue(SERIAL, SubjectNames.forServer(SERIAL, "127.0.0.1", List.of())), 39_300, 39_320)) {
            int proxyPort = ProxyProcess.freePort();
            String yaml = """
                    printer: {host: 127.0.0.1, serial: %s, access-code: "%s", trust: insecure, ports: {ftp: %d}}
                    proxy: {bind: 127.0.0.1, services: [ftp], state-dir: %s, ports: {ftp: %d}}
                    """.formatted(SERIAL, CODE, printer.port(), dir.resolve("proxy"), proxyPort);
            try (ProxyProcess proxy = ProxyProcess.start(dir, yaml)) {
                System.out.printf("FTPS throughput with curl, %d MB, median of %d rounds, %d cores%n%n", megabytes, ROUNDS,
                        Runtime.getRuntime().availableProcessors());
                System.out.println("| path | upload MB/s | download MB/s |");
                System.out.println("|---|---|---|");
                double[] direct = measure(curl, "ftps://127.0.0.1:" + printer.port(), List.of("-k"), file, megabytes, dir);
                double[] proxied = measure(curl, "ftps://127.0.0.1:" + proxyPort,
                        List.of("--cacert", dir.resolve("proxy/ca.pem").toString()), file, megabytes, dir);
                System.out.printf("| direct to vsftpd | %.0f | %.0f |%n", direct[0], direct[1]);
                System.out.printf("| through PandaProxy | %.0f | %.0f |%n", proxied[0], proxied[1]);
                System.out.printf("| ratio | %.2f | %.2f |%n", proxied[0] / direct[0], proxied[1] / direct[1]);
            }
        }
        System.out.println();
        System.out.println("Target: through the proxy at least 0.8 of direct.");
    }

    /** Median upload and download throughput in MB/s. */
    private static double[] measure(Path curl, String base, List<String> tls, Path file, int megabytes, Path dir) throws Exception {
        List<Double> uploads = new ArrayList<>();
        List<Double> downloads = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            uploads.add(megabytes / seconds(curl, tls, List.of("-T", file.toString(), base + "/bench.bin")));
            downloads.add(megabytes / seconds(curl, tls, List.of("-o", dir.resolve("back.bin").toString(), base + "/bench.bin")));
            if (Files.mismatch(file, dir.resolve("back.bin")) != -1) {
                throw new IllegalStateException("downloaded file differs");
            }
        }
        return new double[] {median(uploads), median(downloads)};
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
