package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The chart on a real Kubernetes (K3s), as a user installs it: the image built from the project's Dockerfile, the
 * chart installed by Helm with its RBAC, two operator replicas with leader election, a printer served by the
 * simulator (the same image, in a pod), and the printer's proxy reaching Ready. Along the way: the CRD's schema
 * rejects a bad printer, server-side apply owns the fields it sets and drops the ones it stops setting, and deleting
 * a printer takes its objects with it. What no mock API server checks: RBAC, capabilities against the security
 * context, Pod Security of the operator's pod, CEL rules.
 * <p>
 * Needs Docker (reported disabled without it): {@code ./mvnw -B verify -Dtest=K3sOperatorTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (README). OperatorTest, HelmChartTest and ContainerSecurityTest cover the
 * same ground without a cluster.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sOperatorTest {
    private static final String IMAGE_REPOSITORY = "pandaproxy/pandaproxy";
    private static final String IMAGE_TAG = "k3s-test";
    private static final String RELEASE = "pandaproxy";
    private static final String NS = "printers";
    private static final String SERIAL = "01P00A000000001";
    private static final String CODE = "12345678";
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void theChartsOperatorMakesASimulatedPrinterReady() throws Exception {
        loadImageIntoK3s(new ImageFromDockerfile(IMAGE_REPOSITORY + ":" + IMAGE_TAG, false)
                .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                .get());
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
                .build()) {
            // as the README installs it, with the RBAC it renders and the Lease taken by one of two replicas
            new Helm(Path.of("helm", "pandaproxy"))
                    .install()
                    .withName(RELEASE)
                    .withNamespace(RELEASE)
                    .createNamespace()
                    .withKubeConfigContents(K3S.getKubeConfigYaml())
                    .set("image.repository", IMAGE_REPOSITORY)
                    .set("image.tag", IMAGE_TAG)
                    .set("image.pullPolicy", "Never")
                    .set("replicas", 2)
                    .set("leaderElection.enabled", true)
                    .waitReady()
                    .withTimeout((int) WAIT.toSeconds())
                    .call();
            assertThat(client.leases()
                            .inNamespace(RELEASE)
                            .withName("pandaproxy-operator")
                            .get()
                            .getSpec()
                            .getHolderIdentity())
                    .startsWith(RELEASE + "-operator-");

            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(NS)
                            .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                            .endMetadata()
                            .build())
                    .create();
            client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("p1s-code")
                            .withNamespace(NS)
                            .endMetadata()
                            .addToStringData("access-code", CODE)
                            .build())
                    .create();
            String printerHost = startSimulator(client);

            BambuPrinter bad = Printers.printer(NS, "bad", printerHost);
            bad.getSpec().setSerial("not a serial!");
            assertThatThrownBy(() -> client.resource(bad).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("spec.serial");
            // the CEL rule: the proxy's Service could not be named after this printer
            assertThatThrownBy(() -> client.resource(
                                    Printers.printer(NS, "p".repeat(BambuPrinter.MAX_NAME_LENGTH + 1), printerHost))
                            .create())
                    .isInstanceOf(KubernetesClientException.class)
                    .hasMessageContaining("at most 52 characters");

            BambuPrinter printer = Printers.printer(NS, "p1s", printerHost);
            printer.getSpec().setSerial(SERIAL);
            printer.getSpec().setServices(List.of(BambuPrinterSpec.Service.CAMERA, BambuPrinterSpec.Service.MQTT));
            client.resource(printer).create();

            // the operator probed the camera (trusting the simulator's certificate on first use), and the proxy pod
            // runs
            BambuPrinter ready = client.resources(BambuPrinter.class)
                    .inNamespace(NS)
                    .withName("p1s")
                    .waitUntilCondition(
                            p -> p != null
                                    && p.getStatus() != null
                                    && p.getStatus().getConditions().stream()
                                            .anyMatch(c -> c.getType().equals("Ready")
                                                    && c.getStatus().equals("True")),
                            WAIT.toSeconds(),
                            TimeUnit.SECONDS);
            assertThat(ready.getStatus().getCamera()).isEqualTo("chamber");
            assertThat(ready.getStatus().getEndpoints())
                    .anySatisfy(endpoint -> assertThat(endpoint).startsWith("mqtts://"));
            Condition reachable =
                    await().atMost(WAIT).until(() -> condition(client, "PrinterReachable"), c -> c != null);
            assertThat(reachable.getStatus()).as(reachable.getMessage()).isEqualTo("True");

            Deployment deployment = deployment(client);
            assertThat(deployment.getMetadata().getManagedFields()).anySatisfy(entry -> {
                assertThat(entry.getManager()).isEqualTo("pandaproxy-operator");
                assertThat(entry.getOperation()).isEqualTo("Apply");
            });
            assertThat(ports(deployment)).contains(6000, 8883);

            Printers.replaceInSpec(client, NS, "p1s", Map.of("services", "[\"camera\"]"));
            // applied fields the operator stops setting are removed
            await().atMost(WAIT).until(() -> ports(deployment(client)).equals(List.of(6000, 8080, 8443)));

            client.resources(BambuPrinter.class).inNamespace(NS).withName("p1s").delete();
            await().atMost(WAIT)
                    .until(() -> deployment(client) == null
                            && client.configMaps()
                                            .inNamespace(NS)
                                            .withName("pandaproxy-p1s")
                                            .get()
                                    == null);

            // neither replica stopped: no failure made one exit (the leader's work and renewals were allowed)
            assertThat(client.pods()
                            .inNamespace(RELEASE)
                            .withLabel("app.kubernetes.io/component", "operator")
                            .list()
                            .getItems())
                    .hasSize(2)
                    .allSatisfy(pod -> assertThat(restarts(pod))
                            .as(pod.getMetadata().getName())
                            .isZero());
        }
    }

    /** The image as k3s's containerd sees it: saved from Docker, imported into the k3s container. */
    private static void loadImageIntoK3s(String image) throws Exception {
        Path tar = Files.createTempFile("pandaproxy-image", ".tar");
        try {
            try (InputStream saved =
                    DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
                Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
            }
            K3S.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/pandaproxy.tar");
            ExecResult imported =
                    K3S.execInContainer("ctr", "--namespace", "k8s.io", "images", "import", "/tmp/pandaproxy.tar");
            assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();
        } finally {
            Files.delete(tar);
        }
    }

    /**
     * The simulator on the printer's own ports, as a pod with a Service; returns the Service's name, the printer's
     * host. It binds 990 and runs as root for that (the simulator is not the image's proxy, which alone may bind it
     * as non-root).
     */
    private static String startSimulator(KubernetesClient client) {
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "printer-simulator");
        client.resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("printer")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewSelector()
                        .withMatchLabels(labels)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("simulator")
                        .withImage(IMAGE_REPOSITORY + ":" + IMAGE_TAG)
                        .withImagePullPolicy("Never")
                        .withArgs(
                                "simulate",
                                "--bind",
                                "0.0.0.0",
                                "--port-offset",
                                "0",
                                "-s",
                                SERIAL,
                                "-a",
                                CODE,
                                "--state-dir",
                                "/tmp/simulator")
                        .withNewSecurityContext()
                        .withRunAsUser(0L)
                        .withRunAsNonRoot(false)
                        .endSecurityContext()
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("printer")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(labels)
                        .addNewPort()
                        .withName("chamber")
                        .withPort(6000)
                        .withTargetPort(new IntOrString(6000))
                        .endPort()
                        .addNewPort()
                        .withName("mqtts")
                        .withPort(8883)
                        .withTargetPort(new IntOrString(8883))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("printer")
                .waitUntilReady(WAIT.toSeconds(), TimeUnit.SECONDS);
        return "printer." + NS + ".svc.cluster.local";
    }

    private static Condition condition(KubernetesClient client, String type) {
        BambuPrinter printer = client.resources(BambuPrinter.class)
                .inNamespace(NS)
                .withName("p1s")
                .get();
        return printer.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElse(null);
    }

    private static int restarts(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream()
                .mapToInt(status -> status.getRestartCount())
                .sum();
    }

    private static Deployment deployment(KubernetesClient client) {
        return client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("pandaproxy-p1s")
                .get();
    }

    private static List<Integer> ports(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().stream()
                .map(port -> port.getContainerPort())
                .toList();
    }
}
