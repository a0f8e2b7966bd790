package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.packaging.ChartRbac;
import dev.pandaproxy.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code pandaproxy operator} loads, run in a child JVM on the class path users run (target/pandaproxy.jar's),
 * against the mock API server, until a chamber and an RTSP printer (MediaMTX's configuration too) are reconciled:
 * <ul>
 *   <li>one Jackson, the one fabric8 is built on (Jackson 3, {@code tools.jackson}). Each Jackson costs the operator
 *       its classes and its own introspection of what it serialises (BENCHMARKS.md, "Footprint", "Operator").
 *       Jackson 3 still reads the 2.x annotations ({@code com.fasterxml.jackson.annotation}), which are no Jackson of
 *       their own;
 *   <li>no model of an API group it never asks for: fabric8 instantiates every resource class of every model jar on
 *       the class path, so the build leaves those jars out (pom.xml). That the printers are reconciled at all shows
 *       that the jars left are enough for the client and for every request reconciling makes.
 * </ul>
 */
class OperatorClassLoadingTest {
    private static final String PRINTERS = "printers";

    @TempDir
    Path dir;

    @Test
    void theOperatorReconcilingPrintersLoadsOneJacksonAndNoUnusedApiGroup() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (MockCluster cluster = new MockCluster(ChartRbac.render(Map.of("watchNamespace", PRINTERS)))) {
            Printers.create(cluster.admin, PRINTERS, "chamber", BambuPrinterSpec.Camera.CHAMBER);
            Printers.create(cluster.admin, PRINTERS, "rtsp", BambuPrinterSpec.Camera.RTSP);
            Map<String, String> env = new HashMap<>(cluster.operatorEnvironment(PRINTERS, "pandaproxy"));
            env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
            // health on any free port: the test watches the cluster, not the operator's endpoint
            Process operator = JavaProcess.start(List.of(), env, dir, "operator", "--http-port", "0");
            try {
                cluster.awaitReconciled(PRINTERS, 2, Duration.ofSeconds(60));
            } finally {
                operator.destroy();
                operator.waitFor(20, TimeUnit.SECONDS);
            }
        }
        List<String> loaded = Files.readAllLines(classLog);
        assertThat(loaded)
                .as("the log lists what reconciling took: the proxy's /status reader and MediaMTX's configuration")
                .anyMatch(line -> line.contains(" dev.pandaproxy.operator.ProxyStatusReader "))
                .anyMatch(line -> line.contains(" dev.pandaproxy.rtsp.MediaMtxConfig "))
                .anyMatch(line -> line.contains(" tools.jackson.databind.ObjectMapper "));
        assertThat(loaded).noneMatch(line -> line.contains(" com.fasterxml.jackson.databind."));
        assertThat(loaded).noneMatch(line -> line.contains(" com.fasterxml.jackson.core."));
        assertThat(loaded)
                .as("resource classes of API groups the operator does not use")
                .noneMatch(line -> line.contains(" io.fabric8.kubernetes.api.model.gatewayapi."))
                .noneMatch(line -> line.contains(" io.fabric8.kubernetes.api.model.resource."))
                .noneMatch(line -> line.contains(" io.fabric8.kubernetes.api.model.admissionregistration."));
    }
}
