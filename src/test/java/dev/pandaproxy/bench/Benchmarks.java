package dev.pandaproxy.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point of {@code ./mvnw -Pbench}: {@code chamber}, {@code mqtt}, {@code ftp}, {@code tls}, {@code footprint} or
 * {@code operator-footprint}. */
public final class Benchmarks {
    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        // the simulator's per-connection log lines would interleave with the results
        Logger.getLogger("").setLevel(Level.WARNING);
        String which = args.length > 0 ? args[0] : "chamber";
        // an empty -Dbench.clients means "the benchmark's own default"
        if (System.getProperty("bench.clients", "").isBlank()) {
            System.clearProperty("bench.clients");
        }
        switch (which) {
            case "chamber" -> ChamberFanOutBenchmark.main(new String[0]);
            case "mqtt" -> MqttFanOutBenchmark.main(new String[0]);
            case "ftp" -> FtpThroughputBenchmark.main(new String[0]);
            case "tls" -> TlsStreamBenchmark.main(new String[0]);
            case "footprint" -> FootprintBenchmark.main(new String[0]);
            case "operator-footprint" -> OperatorFootprintBenchmark.main(new String[0]);
            default ->
                throw new IllegalArgumentException("unknown benchmark '" + which
                        + "': use chamber, mqtt, ftp, tls, footprint or operator-footprint");
        }
        System.exit(0);
    }
}
