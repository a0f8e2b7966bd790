package dev.pandaproxy.bench;

import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.EngineTlsStream;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The cost of TLS itself on this machine: one {@link EngineTlsStream} writing camera-sized frames to another
 * over loopback, both in this JVM, so the CPU time covers encryption, decryption and the kernel's TCP work.
 * It is the floor under the chamber benchmark, whose viewers share the proxy's cores.
 */
public final class TlsStreamBenchmark {
    private static final int FRAME_BYTES = 150_000;
    private static final int ROUNDS = 5;

    private TlsStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        TlsPolicy.install();
        long megabytes = Long.getLong("bench.megabytes", 1000);
        SSLContext server = CertificateAuthority.generate("bench CA")
                .issue("01P00A000000001", SubjectNames.forServer("01P00A000000001", "127.0.0.1", List.of()))
                .serverContext();
        SSLContext client = PrinterTrust.create(
                        TrustMode.INSECURE,
                        Optional.empty(),
                        Files.createTempFile("pandaproxy-bench", ".pins"),
                        "01P00A000000001")
                .clientContext();
        System.out.printf(
                "TLS over loopback, one stream, %d MB of %d-byte frames per round after two untimed, %d cores%n%n",
                megabytes, FRAME_BYTES, Runtime.getRuntime().availableProcessors());
        // untimed: the JIT compiles the TLS path first, and its CPU time would count otherwise
        for (int warmUp = 0; warmUp < 2; warmUp++) {
            round(0, server, client, megabytes * 1_000_000, false);
        }
        System.out.println("| round | cipher suite | MB/s | CPU ms per MB (both ends) |");
        System.out.println("|---|---|---|---|");
        List<Double> costs = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            costs.add(round(round, server, client, megabytes * 1_000_000, true));
        }
        System.out.printf(
                "%nMedian: %.2f ms of CPU per MB sent and received.%n",
                costs.stream().sorted().toList().get(ROUNDS / 2));
    }

    private static double round(
            int round, SSLContext serverContext, SSLContext clientContext, long bytes, boolean print) throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setTcpNoDelay(true);
                    EngineTlsStream tls =
                            EngineTlsStream.accept(socket, serverContext, TlsPolicy.ClientSuites.ECDHE_ONLY, 1);
                    byte[] frame = new byte[FRAME_BYTES];
                    OutputStream out = tls.outputStream();
                    for (long sent = 0; sent < bytes; sent += frame.length) {
                        out.write(frame);
                    }
                    tls.close();
                } catch (Exception e) {
                    throw new IllegalStateException("writer failed", e);
                }
            });
            try (Socket socket = new Socket("127.0.0.1", listener.getLocalPort())) {
                socket.setTcpNoDelay(true);
                EngineTlsStream tls =
                        EngineTlsStream.connect(socket, clientContext, "127.0.0.1", listener.getLocalPort());
                byte[] buffer = new byte[FRAME_BYTES];
                InputStream in = tls.inputStream();
                long cpuBefore = processCpuNanos();
                long start = System.nanoTime();
                long received = 0;
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    received += n;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuMillis = (processCpuNanos() - cpuBefore) / 1e6;
                writer.join();
                double megabytes = received / 1e6;
                if (print) {
                    System.out.printf(
                            "| %d | %s | %.0f | %.2f |%n",
                            round, tls.session().getCipherSuite(), megabytes / seconds, cpuMillis / megabytes);
                }
                return cpuMillis / megabytes;
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
