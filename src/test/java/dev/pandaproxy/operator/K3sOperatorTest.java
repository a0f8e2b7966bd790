package dev.pandaproxy.operator;

import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The operator against a real Kubernetes (K3s): the CRD's schema rejects a bad printer, server-side apply owns the
 * fields it sets and drops the ones it stops setting, and deleting a printer takes its objects with it (garbage
 * collection by owner reference). Reported disabled where Docker is absent; OperatorTest covers the rest.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sOperatorTest {
    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
    private static final String NS = "printers";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void printersBecomeProxiesAndGoAwayWithThem() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            try (InputStream crd = K3sOperatorTest.class.getResourceAsStream("/META-INF/fabric8/bambuprinters.pandaproxy.dev-v1.yml")) {
                client.apiextensions().v1().customResourceDefinitions().load(crd).serverSideApply();
            }
            client.apiextensions().v1().customResourceDefinitions().withName("bambuprinters.pandaproxy.dev")
                    .waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")), 60, java.util.concurrent.TimeUnit.SECONDS);
            client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            client.resource(new SecretBuilder().withNewMetadata().withName("p1s-code").withNamespace(NS).endMetadata()
                    .addToStringData("access-code", "12345678").build()).create();

            BambuPrinter bad = Printers.printer(NS, "bad", "192.168.1.42");
            bad.getSpec().setSerial("not a serial!");
            assertThatThrownBy(() -> client.resource(bad).create()).isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("spec.serial");

            Operator.Settings settings = new Operator.Settings(Optional.of(NS), false, NS, "k3s-test",
                    new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0", "bluenviron/mediamtx:1.20.1"), 0);
            try (Operator operator = Operator.start(client, settings)) {
                BambuPrinter printer = Printers.printer(NS, "p1s", "192.168.1.42");
                printer.getSpec().setCamera(BambuPrinterSpec.Camera.CHAMBER);
                client.resource(printer).create();

                Deployment deployment = await().atMost(WAIT).until(() -> deployment(client), d -> d != null);
                assertThat(deployment.getMetadata().getManagedFields())
                        .anySatisfy(entry -> {
                            assertThat(entry.getManager()).isEqualTo("pandaproxy-operator");
                            assertThat(entry.getOperation()).isEqualTo("Apply");
                        });
                assertThat(ports(deployment)).contains(8883, 990);

                Printers.replaceInSpec(client, NS, "p1s", Map.of("services", "[\"camera\"]"));
                // applied fields the operator stops setting are removed
                await().atMost(WAIT).until(() -> ports(deployment(client)).equals(List.of(6000, 8080, 8443)));

                client.resources(BambuPrinter.class).inNamespace(NS).withName("p1s").delete();
                await().atMost(WAIT).until(() -> deployment(client) == null
                        && client.configMaps().inNamespace(NS).withName("pandaproxy-p1s").get() == null);
            }
        }
    }

    private static Deployment deployment(KubernetesClient client) {
        return client.apps().deployments().inNamespace(NS).withName("pandaproxy-p1s").get();
    }

    private static List<Integer> ports(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().stream()
                .map(port -> port.getContainerPort()).toList();
    }
}
