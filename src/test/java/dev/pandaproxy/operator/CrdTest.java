package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The BambuPrinter CRD: generated from the Java model during the build, committed in {@code crds/} for Helm and
 * {@code kubectl apply}, and its schema rejects what the proxy could not run.
 */
class CrdTest {
    private static final String FILE = "bambuprinters.pandaproxy.dev-v1.yml";

    @Test
    void theCommittedCrdIsTheGeneratedOne() throws IOException {
        String generated = generated();
        Path committed = Path.of("crds", FILE);
        assertThat(Files.exists(committed) ? Files.readString(committed) : "")
                .as(
                        "crds/%s is stale: cp target/classes/META-INF/fabric8/%s crds/ (./mvnw process-classes regenerates it)",
                        FILE, FILE)
                .isEqualTo(generated);
    }

    @Test
    void theSchemaRequiresWhatTheProxyNeedsAndNamesTheChoices() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(generated(), CustomResourceDefinition.class);
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getShortNames()).contains("bp");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().getFirst();
        assertThat(version.getName()).isEqualTo("v1alpha1");
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("pandaproxy", "all");
        // kubectl get bp: Ready and Host first; the rest with -o wide (priority 1)
        assertThat(version.getAdditionalPrinterColumns())
                .filteredOn(column -> column.getPriority() == 0)
                .extracting(column -> column.getName())
                .containsExactly("Ready", "Host");
        assertThat(version.getAdditionalPrinterColumns())
                .filteredOn(column -> column.getPriority() == 1)
                .extracting(column -> column.getName())
                .containsExactlyInAnyOrder("Camera", "Clients", "Age");
        // a name the proxy's Service could not carry is refused when the printer is created
        assertThat(version.getSchema().getOpenAPIV3Schema().getXKubernetesValidations())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getRule())
                            .isEqualTo("size(self.metadata.name) <= 52 && !self.metadata.name.contains('.')");
                    assertThat(rule.getMessage()).contains("at most 52 characters");
                });
        // conditions merge by type (server-side apply, kubectl wait), and each has what a condition must have
        JSONSchemaProps conditions = version.getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("status")
                .getProperties()
                .get("conditions");
        assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
        assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
        assertThat(conditions.getItems().getSchema().getRequired())
                .containsExactlyInAnyOrder("type", "status", "lastTransitionTime", "reason", "message");
        assertThat(conditions.getItems().getSchema().getProperties()).containsKeys("observedGeneration", "message");

        JSONSchemaProps spec =
                version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("host", "serial", "accessCodeSecret");
        assertThat(spec.getProperties().get("serial").getPattern()).isEqualTo("^[A-Za-z0-9]{8,32}$");
        assertThat(spec.getProperties().get("accessCodeSecret").getRequired()).containsExactly("name");
        assertThat(enumOf(spec.getProperties().get("camera")))
                .containsExactlyInAnyOrder("auto", "chamber", "rtsp", "none");
        assertThat(enumOf(spec.getProperties().get("services").getItems().getSchema()))
                .containsExactlyInAnyOrder("camera", "mqtt", "ftp");
        JSONSchemaProps trust = spec.getProperties().get("trust");
        assertThat(enumOf(trust.getProperties().get("mode"))).containsExactlyInAnyOrder("pin", "ca", "insecure");
        assertThat(trust.getXKubernetesValidations())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getMessage()).contains("trust.caSecret"));
        JSONSchemaProps network = spec.getProperties().get("network");
        assertThat(enumOf(network.getProperties().get("mode")))
                .containsExactlyInAnyOrder("HostNetwork", "LoadBalancer");
        assertThat(network.getXKubernetesValidations())
                .extracting(rule -> rule.getMessage())
                .anySatisfy(message -> assertThat(message).contains("network.hostIP"));
        // broadcasts do not reach a LoadBalancer pod: the API server refuses the combination with a message
        assertThat(spec.getXKubernetesValidations()).singleElement().satisfies(rule -> {
            assertThat(rule.getRule()).contains("LoadBalancer").contains("self.slicer.discovery");
            assertThat(rule.getMessage()).contains("slicer.discovery needs network.mode HostNetwork");
        });
        assertThat(network.getProperties().get("httpPort").getMinimum()).isEqualTo(1024.0);
    }

    private static List<String> enumOf(JSONSchemaProps property) {
        return property.getEnum().stream().map(node -> node.asText()).toList();
    }

    private static String generated() throws IOException {
        try (InputStream in = CrdTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
            assertThat(in).as("the build generates META-INF/fabric8/%s", FILE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
