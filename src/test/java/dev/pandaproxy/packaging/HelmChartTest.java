package dev.pandaproxy.packaging;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart, linted and rendered by a real Helm engine (helm-java), every rendered document parsed as a
 * Kubernetes object; and {@code deploy/}, the same manifests for {@code kubectl apply -k}, kept equal to the render.
 * {@code -Ddeploy.update=true} rewrites {@code deploy/pandaproxy.yaml} from the chart.
 */
class HelmChartTest {
    private static final Path CHART = Path.of("helm", "pandaproxy");
    private static final Path DEPLOY = Path.of("deploy", "pandaproxy.yaml");
    private static final String CRD = "bambuprinters.pandaproxy.dev-v1.yml";

    @Test
    void theChartPassesStrictLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void theOperatorPodIsRestrictedAndConfiguredAsTheOperatorExpects() {
        List<HasMetadata> objects = render(Map.of());
        Deployment deployment = only(objects, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNull();
        Container operator = pod.getContainers().getFirst();
        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(operator.getEnv()).extracting(EnvVar::getName).containsExactly("WATCH_NAMESPACE", "LEADER_ELECTION",
                "POD_NAME", "POD_NAMESPACE", "PROXY_IMAGE", "MEDIAMTX_IMAGE", "FFMPEG_IMAGE");
        assertThat(env(operator, "PROXY_IMAGE")).isEqualTo(operator.getImage()).isEqualTo("ghcr.io/pandaproxy/pandaproxy:0.1.0");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("pandaproxy");
    }

    @Test
    void theOperatorMayDoWhatItDoesAndNothingMore() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(only(objects, ClusterRole.class).getRules()).extracting(rule -> String.join(",", rule.getApiGroups()) + " "
                + String.join(",", rule.getResources()) + " " + String.join(",", rule.getVerbs())).containsExactly(
                "pandaproxy.dev bambuprinters get,list,watch",
                "pandaproxy.dev bambuprinters/status get,update,patch",
                "apps deployments get,list,watch,create,update,patch,delete",
                " configmaps,services,secrets get,list,watch,create,update,patch,delete",
                " pods get,list,watch",
                " events create,patch");
        Role leases = only(objects, Role.class);
        assertThat(leases.getMetadata().getNamespace()).isEqualTo("pandaproxy");
        assertThat(leases.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).containsExactly("get", "create", "update");
        });
    }

    @Test
    void printersInValuesBecomeBambuPrintersWithTheirSecrets() throws IOException {
        Path values = Files.writeString(Files.createTempDirectory("values").resolve("values.yaml"), """
                printers:
                  - name: p1s
                    namespace: printers
                    accessCode: "01234567"
                    spec:
                      host: 192.168.1.42
                      serial: 01P00A000000001
                      accessCodeSecret: {name: p1s-code}
                      camera: chamber
                  - name: x1c
                    spec:
                      host: 192.168.1.43
                      serial: 00M00A000000001
                      accessCodeSecret: {name: x1c-code, key: code}
                """);
        List<HasMetadata> objects = parse(new Helm(CHART).template().withName("pandaproxy").withNamespace("pandaproxy")
                .withValuesFile(values).call());
        List<GenericKubernetesResource> printers = objects.stream().filter(o -> o.getKind().equals("BambuPrinter"))
                .map(GenericKubernetesResource.class::cast).toList();
        assertThat(printers).extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .containsExactly("printers/p1s", "pandaproxy/x1c");
        assertThat(printers.getFirst().getApiVersion()).isEqualTo("pandaproxy.dev/v1alpha1");
        assertThat(printers.getFirst().<String>get("spec", "host")).isEqualTo("192.168.1.42");
        assertThat(printers.get(1).<String>get("spec", "accessCodeSecret", "key")).isEqualTo("code");
        // a code given in values becomes a Secret; the other printer's Secret is the user's
        assertThat(objects).filteredOn(o -> o.getKind().equals("Secret")).singleElement().satisfies(secret -> {
            assertThat(secret.getMetadata().getName()).isEqualTo("p1s-code");
            assertThat(((io.fabric8.kubernetes.api.model.Secret) secret).getStringData()).containsEntry("access-code", "01234567");
        });
    }

    @Test
    void theServiceMonitorIsOptional() {
        assertThat(render(Map.of())).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
        assertThat(render(Map.of("serviceMonitor.enabled", "true"))).filteredOn(o -> o.getKind().equals("ServiceMonitor"))
                .hasSize(1);
    }

    @Test
    void everyCopyOfTheCrdIsTheGeneratedOne() throws IOException {
        String generated = Files.readString(Path.of("crds", CRD));
        assertThat(Files.readString(CHART.resolve("crds").resolve(CRD))).as("helm/pandaproxy/crds/%s", CRD).isEqualTo(generated);
        assertThat(Files.readString(Path.of("deploy", "crds", CRD))).as("deploy/crds/%s", CRD).isEqualTo(generated);
    }

    @Test
    void deployHoldsWhatTheChartRenders() throws IOException {
        String rendered = new Helm(CHART).template().withName("pandaproxy").withNamespace("pandaproxy").call();
        if (Boolean.getBoolean("deploy.update")) {
            Files.writeString(DEPLOY, rendered);
        }
        assertThat(Files.exists(DEPLOY) ? Files.readString(DEPLOY).strip() : "")
                .as("deploy/pandaproxy.yaml differs from the chart: ./mvnw verify -Dtest=HelmChartTest -Ddeploy.update=true")
                .isEqualTo(rendered.strip());
    }

    private static List<HasMetadata> render(Map<String, String> values) {
        var template = new Helm(CHART).template().withName("pandaproxy").withNamespace("pandaproxy");
        values.forEach(template::set);
        return parse(template.call());
    }

    /** Every document, as a Kubernetes object (an unknown kind parses as a generic resource). */
    private static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = Arrays.stream(yaml.split("(?m)^---\\s*$")).map(String::strip)
                .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(document -> (HasMetadata) Serialization.unmarshal(document)).toList();
        assertThat(objects).allSatisfy(object -> {
            assertThat(object.getApiVersion()).isNotBlank();
            assertThat(object.getMetadata().getName()).isNotBlank();
        });
        return objects;
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> {
            throw new AssertionError("more than one " + type.getSimpleName());
        }).orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(env -> env.getName().equals(name)).findFirst().orElseThrow().getValue();
    }
}
