package dev.pandaproxy.packaging;

import static dev.pandaproxy.packaging.Manifests.CHART;
import static dev.pandaproxy.packaging.Manifests.CRD;
import static dev.pandaproxy.packaging.Manifests.CRD_FILE;
import static dev.pandaproxy.packaging.Manifests.NAMESPACE;
import static dev.pandaproxy.packaging.Manifests.parse;
import static dev.pandaproxy.packaging.Manifests.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * The copies the project keeps of generated or rendered manifests stay equal to their source: the CRD in the chart
 * and in {@code deploy/crds} is byte for byte the one generated from the Java model, {@code deploy/pandaproxy.yaml}
 * is what the chart renders with its default values, and {@code kubectl apply -k deploy/} applies exactly the
 * namespace, the CRD and that render. The printer examples (deploy/examples, the chart's README) fit the CRD and
 * name a Secret that holds the access code where the operator looks for it.
 * <p>
 * After a chart change, {@code -Ddeploy.update=true} makes {@link #deployHoldsWhatTheChartRenders()} rewrite
 * {@code deploy/pandaproxy.yaml} from the chart.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final Path RENDERED = DEPLOY.resolve("pandaproxy.yaml");
    private static final String UPDATE = "./mvnw -q verify -Dtest='dev.pandaproxy.packaging.*Test' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Ddeploy.update=true";

    @Test
    void everyCopyOfTheCrdIsTheGeneratedOneByteForByte() throws IOException {
        // one source: crds/ is generated from the model (CrdTest); the chart and deploy/ only carry copies
        for (Path copy : List.of(
                CHART.resolve("crds").resolve(CRD_FILE), DEPLOY.resolve("crds").resolve(CRD_FILE))) {
            assertThat(Files.mismatch(copy, CRD))
                    .as("%s differs from %s: cp %s %s", copy, CRD, CRD, copy)
                    .isEqualTo(-1L);
        }
    }

    @Test
    void deployHoldsWhatTheChartRenders() throws IOException {
        String rendered = Manifests.template().call();
        if (Boolean.getBoolean("deploy.update")) {
            Files.writeString(RENDERED, rendered);
        }
        String kept = Files.exists(RENDERED) ? Files.readString(RENDERED) : "";
        assertThat(withoutTrailingWhitespace(kept))
                .as(
                        "deploy/pandaproxy.yaml is not what the chart renders (helm template pandaproxy helm/pandaproxy --skip-tests "
                                + "--namespace pandaproxy); regenerate it with: %s",
                        UPDATE)
                .isEqualTo(withoutTrailingWhitespace(rendered));
    }

    @Test
    void theKustomizationAppliesTheNamespaceTheCrdAndTheRenderOnly() {
        Map<String, Object> kustomization = Serialization.unmarshal(
                read(DEPLOY.resolve("kustomization.yaml")), new TypeReference<Map<String, Object>>() {});
        assertThat(kustomization).containsEntry("kind", "Kustomization");
        // the examples hold a placeholder access code: never applied by `kubectl apply -k deploy/`
        assertThat(kustomization.get("resources"))
                .isEqualTo(List.of("namespace.yaml", "crds/" + CRD_FILE, "pandaproxy.yaml"));
        assertThat(kustomization).doesNotContainKeys("namespace", "namePrefix", "nameSuffix", "patches", "images");

        // the namespace the render expects, enforcing "restricted" (which the operator pod meets: HelmChartTest)
        Namespace namespace =
                (Namespace) parse(read(DEPLOY.resolve("namespace.yaml"))).getFirst();
        assertThat(namespace.getMetadata().getName()).isEqualTo(NAMESPACE);
        assertThat(namespace.getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    void theExamplePrinterIsUsableAsItIs() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (var files = Files.list(DEPLOY.resolve("examples"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(parse(read(file)));
            }
        }
        Manifests.assertUsablePrinters(objects, "deploy/examples");
        // printer pods use hostNetwork and host ports: their namespace must allow them
        Map<String, String> printerNamespaces = objects.stream()
                .filter(o -> o.getKind().equals("BambuPrinter"))
                .collect(Collectors.toMap(o -> o.getMetadata().getNamespace(), o -> "", (a, b) -> a));
        assertThat(objects)
                .filteredOn(Namespace.class::isInstance)
                .filteredOn(ns -> printerNamespaces.containsKey(ns.getMetadata().getName()))
                .hasSize(printerNamespaces.size())
                .allSatisfy(ns -> assertThat(ns.getMetadata().getLabels())
                        .containsEntry("pod-security.kubernetes.io/enforce", "privileged"));
    }

    @Test
    void theChartReadmesPrinterExampleIsUsableAsItIs() {
        // the README's YAML blocks, as a reader would paste them into kubectl or a values file
        Matcher blocks = Pattern.compile("(?ms)^```yaml\\n(.*?)^```").matcher(read(CHART.resolve("README.md")));
        List<HasMetadata> objects = new ArrayList<>();
        while (blocks.find()) {
            String block = blocks.group(1);
            if (block.startsWith("printers:")) {
                // the GitOps example: values whose printers must render into BambuPrinters the CRD accepts
                assertThat(Manifests.ofKind(Manifests.renderWithValues(block), "BambuPrinter"))
                        .isNotEmpty()
                        .allSatisfy(printer -> assertThat(Manifests.schemaErrors(
                                        printer.getAdditionalProperties().get("spec")))
                                .isEmpty());
            } else {
                objects.addAll(parse(block));
            }
        }
        Manifests.assertUsablePrinters(objects, "helm/pandaproxy/README.md");
    }

    /** Trailing whitespace of each line and of the file: what editors and Git hooks change without asking. */
    private static String withoutTrailingWhitespace(String text) {
        return text.lines()
                .map(String::stripTrailing)
                .collect(Collectors.joining("\n"))
                .stripTrailing();
    }
}
