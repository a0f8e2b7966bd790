package dev.pandaproxy.bench;

import dev.pandaproxy.operator.MockCluster;
import dev.pandaproxy.operator.Printers;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.packaging.ChartRbac;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.yaml.snakeyaml.Yaml;

/**
 * The operator's memory idle with 5 printers (issue 15: at most 128 MB): {@code pandaproxy operator} in a JVM of its
 * own, with the operator's JVM options ({@code target/operator.options}, unless {@code -Dbench.proxy-jvm} says
 * otherwise) and the chart's {@code jvmOptions} if it sets any, against fabric8's mock API server in CRUD mode in the benchmark's JVM, the generated
 * CRD installed and the chart's RBAC enforced on the operator's requests, and 50 Secrets of 40 KB that are not the
 * operator's (as Helm's releases are). Once the operator has made every printer's Deployment and written every
 * printer's status, it idles {@code -Dbench.seconds}; then its resident memory now and at its peak and its live heap
 * after a full collection.
 */
public final class OperatorFootprintBenchmark {
    private static final String PRINTERS_NS = "printers";
    /** The operator's own namespace (its Lease): the chart's release namespace. */
    private static final String OPERATOR_NS = "pandaproxy";

    private static final int PRINTERS = 5;
    /**
     * Secrets of the namespace that are none of the operator's business, as a cluster has them: Helm alone keeps one
     * per release revision (the release's manifests, gzipped, ~10 revisions each). The operator watches every
     * Secret of the namespaces it watches, since printers name theirs.
     */
    private static final int OTHER_SECRETS = 50;

    private static final int OTHER_SECRET_BYTES = 40_000;

    private OperatorFootprintBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("bench.proxy-jvm", "").isBlank()) {
            System.setProperty(
                    "bench.proxy-jvm",
                    "@"
                            + Path.of(System.getProperty("bench.jvm-options", "target/jvm.options"))
                                    .resolveSibling("operator.options"));
        }
        Duration idle = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        Path dir = Files.createTempDirectory("pandaproxy-operator-footprint");
        System.out.printf(
                "Operator footprint: JVM options %s (and the chart's jvmOptions), %s, %d cores, %d printers and %d other Secrets of %d bytes, %d s"
                        + " idle%n%n",
                System.getProperty("bench.proxy-jvm"),
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                PRINTERS,
                OTHER_SECRETS,
                OTHER_SECRET_BYTES,
                idle.toSeconds());
        try (MockCluster cluster = new MockCluster(ChartRbac.render(Map.of("watchNamespace", PRINTERS_NS)))) {
            KubernetesClient admin = cluster.admin;
            for (int i = 1; i <= PRINTERS; i++) {
                Printers.create(
                        admin,
                        PRINTERS_NS,
                        "printer-" + i,
                        i <= 3 ? BambuPrinterSpec.Camera.CHAMBER : BambuPrinterSpec.Camera.RTSP);
            }
            Random random = new Random(1);
            for (int i = 1; i <= OTHER_SECRETS; i++) {
                byte[] release = new byte[OTHER_SECRET_BYTES];
                random.nextBytes(release);
                admin.resource(new SecretBuilder()
                                .withNewMetadata()
                                .withName("sh.helm.release.v1.other.v" + i)
                                .withNamespace(PRINTERS_NS)
                                .endMetadata()
                                .withType("helm.sh/release.v1")
                                .addToData("release", Base64.getEncoder().encodeToString(release))
                                .build())
                        .create();
            }
            int httpPort = ProxyProcess.freePort();
            long started = System.nanoTime();
            try (ProxyProcess operator = ProxyProcess.start(
                    dir,
                    List.of("operator", "--http-port", String.valueOf(httpPort)),
                    environment(cluster),
                    httpPort)) {
                cluster.awaitReconciled(PRINTERS_NS, PRINTERS, Duration.ofSeconds(120));
                long reconciledMillis = (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(idle);
                List<Long> rss = operator.rssMiB();
                System.out.println("| printers | ready (ms) | all reconciled (ms) | RSS now / peak (MiB) "
                        + "| live heap after GC (MiB) |");
                System.out.println("|---|---|---|---|---|");
                System.out.printf(
                        "| %d | %d | %d | %d / %d | %.1f |%n",
                        PRINTERS,
                        operator.readyMillis(),
                        reconciledMillis,
                        rss.get(0),
                        rss.get(1),
                        operator.liveHeapKiB() / 1024.0);
            }
        }
        System.out.println();
        System.out.println("Target (issue 15): the operator idle with 5 printers <= 128 MB.");
    }

    /**
     * What the chart's Deployment gives the operator ({@link MockCluster#operatorEnvironment}), with its
     * {@code jvmOptions} as {@code JDK_JAVA_OPTIONS}, which the java launcher reads before the command line's options.
     */
    private static Map<String, String> environment(MockCluster cluster) throws IOException {
        Map<String, String> environment = new HashMap<>(cluster.operatorEnvironment(PRINTERS_NS, OPERATOR_NS));
        Map<String, Object> values = new Yaml().load(Files.readString(Path.of("helm/pandaproxy/values.yaml")));
        if (values.get("jvmOptions") instanceof String options && !options.isBlank()) {
            environment.put("JDK_JAVA_OPTIONS", options);
        }
        return environment;
    }
}
