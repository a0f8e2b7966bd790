package dev.pandaproxy.packaging;

import static dev.pandaproxy.packaging.Manifests.CHART;
import static dev.pandaproxy.packaging.Manifests.NAMESPACE;
import static dev.pandaproxy.packaging.Manifests.ofKind;
import static dev.pandaproxy.packaging.Manifests.only;
import static dev.pandaproxy.packaging.Manifests.render;
import static dev.pandaproxy.packaging.Manifests.renderWithValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.pandaproxy.operator.Printers;
import dev.pandaproxy.operator.desired.DesiredDeployment;
import dev.pandaproxy.operator.desired.ProxyPod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart {@code helm/pandaproxy}, linted and rendered by a real Helm engine (helm-java), every rendered
 * document parsed as a Kubernetes object. Proves that the operator pod meets Pod Security "restricted" and gets the
 * command, environment, port and probes the {@code operator} command expects; that the RBAC is exactly the listed
 * rules (widening it fails here); and that the values (images, replicas and leader election, watched namespace,
 * ServiceMonitor, GitOps printers with optional access-code Secrets) reach the objects.
 */
class HelmChartTest {
    private static final String OPERATOR = "pandaproxy-operator";
    /** The default image: image.repository tagged with the appVersion, which is the Maven version (ReleaseVersionTest). */
    private static final String IMAGE = ReleaseVersionTest.chartImage();

    @Test
    void theChartPassesStrictLint() {
        // strict: lint warnings (e.g. a value the templates use that values.yaml lacks) fail too
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void byDefaultTheChartRendersTheOperatorAndItsRbacOnly() {
        List<HasMetadata> objects = render(Map.of());
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRole",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "Deployment");
        assertThat(objects)
                .filteredOn(o -> !o.getKind().startsWith("Cluster"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
                        .as(o.getKind())
                        .isEqualTo(NAMESPACE));
        assertThat(objects)
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                        .as(o.getKind())
                        .containsEntry("app.kubernetes.io/name", "pandaproxy")
                        .containsEntry("app.kubernetes.io/instance", "pandaproxy")
                        .containsEntry("app.kubernetes.io/managed-by", "Helm")
                        .containsEntry("app.kubernetes.io/version", ReleaseVersionTest.releaseVersion()));
    }

    @Test
    void theOperatorPodMeetsPodSecurityRestricted() {
        PodSpec pod =
                only(render(Map.of()), Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // nothing of the host: what printer pods need and the operator does not
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes())
                .allSatisfy(volume -> assertThat(volume.getHostPath()).isNull());
        assertThat(pod.getContainers()).singleElement().satisfies(container -> {
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(container.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(container.getSecurityContext().getCapabilities().getAdd())
                    .isNullOrEmpty();
            assertThat(container.getPorts())
                    .allSatisfy(port -> assertThat(port.getHostPort()).isNull());
        });
    }

    @Test
    void theOperatorContainerGetsWhatTheOperatorCommandReads() {
        List<HasMetadata> objects = render(Map.of());
        Deployment deployment = only(objects, Deployment.class);
        assertThat(deployment.getMetadata().getName()).isEqualTo(OPERATOR);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName())
                .isEqualTo(only(objects, ServiceAccount.class).getMetadata().getName());
        Container operator = pod.getContainers().getFirst();
        assertThat(operator.getImage()).isEqualTo(IMAGE);
        assertThat(operator.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(operator.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8081);
        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(operator.getReadinessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("http");

        assertThat(operator.getEnv())
                .extracting(EnvVar::getName)
                .containsExactly(
                        "WATCH_NAMESPACE",
                        "LEADER_ELECTION",
                        "POD_NAME",
                        "POD_NAMESPACE",
                        "PROXY_IMAGE",
                        "MEDIAMTX_IMAGE",
                        "IMAGE_PULL_SECRETS",
                        "PRINTER_RESOURCES");
        assertThat(env(operator, "WATCH_NAMESPACE").getValue()).isEmpty();
        assertThat(env(operator, "LEADER_ELECTION").getValue()).isEqualTo("true");
        // the Lease's identity and namespace come from the downward API
        assertThat(env(operator, "POD_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env(operator, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env(operator, "PROXY_IMAGE").getValue()).isEqualTo(IMAGE);
        assertThat(env(operator, "MEDIAMTX_IMAGE").getValue()).isEqualTo("bluenviron/mediamtx:1.20.1");

        assertThat(operator.getResources().getRequests())
                .containsEntry("cpu", new Quantity("50m"))
                .containsEntry("memory", new Quantity("160Mi"));
        assertThat(operator.getResources().getLimits()).containsEntry("memory", new Quantity("320Mi"));

        Service service = only(objects, Service.class);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8081);
        });
    }

    @Test
    void valuesReachTheOperatorPod() {
        Deployment deployment = only(
                render(Map.of(
                        "image.repository",
                        "registry.example/pp",
                        "image.tag",
                        "9.9.9",
                        "image.pullPolicy",
                        "Always",
                        "proxyImage",
                        "registry.example/proxy:1",
                        "mediamtxImage",
                        "mtx:2",
                        "watchNamespace",
                        "printers",
                        "resources.limits.memory",
                        "1Gi",
                        "nodeSelector.kubernetes\\.io/arch",
                        "arm64",
                        "jvmOptions",
                        "-Xlog:gc")),
                Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container operator = pod.getContainers().getFirst();
        assertThat(operator.getImage()).isEqualTo("registry.example/pp:9.9.9");
        assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
        assertThat(env(operator, "PROXY_IMAGE").getValue()).isEqualTo("registry.example/proxy:1");
        assertThat(env(operator, "MEDIAMTX_IMAGE").getValue()).isEqualTo("mtx:2");
        assertThat(env(operator, "WATCH_NAMESPACE").getValue()).isEqualTo("printers");
        assertThat(operator.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("kubernetes.io/arch", "arm64"));
        // more JVM options, which the java launcher reads before the image's /app/operator.options
        assertThat(env(operator, "JDK_JAVA_OPTIONS").getValue()).isEqualTo("-Xlog:gc");
        // without proxyImage, printer pods run the operator's image, whichever tag it has
        assertThat(env(
                                only(render(Map.of("image.tag", "9.9.9")), Deployment.class)
                                        .getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .getFirst(),
                                "PROXY_IMAGE")
                        .getValue())
                .isEqualTo("ghcr.io/pandaproxy/pandaproxy:9.9.9");
    }

    @Test
    void printerPodsGetTheValuesRequestsAndPullSecretsThroughTheOperator() {
        Deployment operator = only(
                render(Map.of("imagePullSecrets[0].name", "regcred", "imagePullSecrets[1].name", "mirror")),
                Deployment.class);
        PodSpec pod = operator.getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets())
                .extracting(secret -> secret.getName())
                .containsExactly("regcred", "mirror");
        Container container = pod.getContainers().getFirst();
        assertThat(env(container, "IMAGE_PULL_SECRETS").getValue()).isEqualTo("regcred,mirror");

        // the printer pods the operator makes with that configuration
        ProxyPod.Images images = new ProxyPod.Images(
                IMAGE,
                "mtx",
                List.of(env(container, "IMAGE_PULL_SECRETS").getValue().split(",")),
                ProxyPod.Resources.fromJson(env(container, "PRINTER_RESOURCES").getValue()));
        PodSpec printer = DesiredDeployment.of(new ProxyPod(
                        Printers.printer("printers", "x1c", "192.168.1.42"), "rtsp", images, "", Optional.empty()))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(printer.getImagePullSecrets())
                .extracting(secret -> secret.getName())
                .containsExactly("regcred", "mirror");
        // Burstable: every container requests CPU and memory, limits memory only
        assertThat(printer.getContainers()).extracting(Container::getName).containsExactly("proxy", "mediamtx");
        assertThat(printer.getContainers()).allSatisfy(c -> {
            assertThat(c.getResources().getRequests()).as(c.getName()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(c.getName()).containsOnlyKeys("memory");
        });
        assertThat(printer.getContainers().getFirst().getResources().getLimits())
                .containsEntry("memory", new Quantity("512Mi"));

        // without pull secrets in the values, neither pod names any
        Deployment plain = only(render(Map.of()), Deployment.class);
        assertThat(plain.getSpec().getTemplate().getSpec().getImagePullSecrets())
                .isEmpty();
        assertThat(env(plain.getSpec().getTemplate().getSpec().getContainers().getFirst(), "IMAGE_PULL_SECRETS")
                        .getValue())
                .isEmpty();
    }

    @Test
    void helmTestAsksTheOperatorsServiceWhetherItIsReady() {
        List<HasMetadata> objects = Manifests.renderWithHooks(Map.of("imagePullSecrets[0].name", "regcred"));
        Pod test = only(objects, Pod.class);
        Service service = only(objects, Service.class);
        assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(test.getSpec().getImagePullSecrets())
                .extracting(secret -> secret.getName())
                .containsExactly("regcred");
        Container ready = test.getSpec().getContainers().getFirst();
        assertThat(ready.getImage()).isEqualTo(IMAGE);
        assertThat(ready.getCommand()).first().isEqualTo("curl");
        assertThat(ready.getCommand())
                .contains("--fail")
                .last()
                .isEqualTo("http://" + service.getMetadata().getName() + "." + NAMESPACE + ".svc:"
                        + service.getSpec().getPorts().getFirst().getPort() + "/observe/health/ready");
        // the chart's own render leaves the hook out (and so do deploy/ and kubectl apply -k)
        assertThat(render(Map.of())).noneMatch(Pod.class::isInstance);
    }

    @Test
    void valuesTheSchemaDoesNotKnowOrCannotUseAreRefused() {
        assertThatThrownBy(() -> render(Map.of("watchNamspace", "printers"))).hasMessageContaining("watchNamspace");
        assertThatThrownBy(() -> render(Map.of("replicas", 0))).hasMessageContaining("replicas");
        assertThatThrownBy(() -> render(Map.of("image.pullPolicy", "Sometimes")))
                .hasMessageContaining("pullPolicy");
        assertThatThrownBy(() -> render(Map.of("printerPods.resources.proxy.requests.memory", "lots")))
                .hasMessageContaining("memory");
        assertThatThrownBy(() -> render(Map.of("imagePullSecrets[0].secret", "regcred")))
                .hasMessageContaining("name");
    }

    @Test
    void theNotesSayHowToCheckTheOperatorAndAddAPrinter() {
        String notes = new com.marcnuri.helm.Helm(CHART)
                .install()
                .withName("pandaproxy")
                .withNamespace(NAMESPACE)
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
        assertThat(notes)
                .contains("helm test pandaproxy -n pandaproxy")
                .contains("kubectl -n pandaproxy rollout status deployment/pandaproxy-operator")
                .contains("kubectl get bp -A")
                .contains("privileged");
    }

    @ParameterizedTest(name = "replicas={0}, leaderElection.enabled={1}: LEADER_ELECTION={2}")
    @CsvSource({"1, true, true", "1, false, false", "2, false, true", "3, true, true"})
    void leaderElectionIsOnWhenAskedForOrWithMoreThanOneReplica(int replicas, boolean enabled, String expected) {
        Deployment deployment =
                only(render(Map.of("replicas", replicas, "leaderElection.enabled", enabled)), Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(replicas);
        assertThat(env(
                                deployment
                                        .getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .getFirst(),
                                "LEADER_ELECTION")
                        .getValue())
                .isEqualTo(expected);
    }

    @Test
    void theOperatorMayDoWhatItDoesAndNothingMore() {
        List<HasMetadata> objects = render(Map.of());
        // README.md's RBAC table explains each of these; change both together
        assertThat(clusterRole(objects, OPERATOR).getRules())
                .extracting(HelmChartTest::rule)
                .containsExactly(
                        "pandaproxy.dev bambuprinters list,watch",
                        "pandaproxy.dev bambuprinters/status update",
                        "apps deployments list,watch,create,patch",
                        " configmaps list,watch,create,patch",
                        " services list,watch,create,patch,delete",
                        " secrets list,watch,create,patch",
                        " pods list,watch",
                        " events create");
        ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(OPERATOR);
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(OPERATOR);
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });

        // leader election: a Lease in the operator's own namespace, nowhere else; the installation's CA Secret there
        // too
        Role leases = only(objects, Role.class);
        assertThat(leases.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(leases.getRules())
                .extracting(HelmChartTest::rule)
                .containsExactly(
                        "coordination.k8s.io leases get,create,patch",
                        " secrets create",
                        " secrets(pandaproxy-ca) get,list,watch");
        RoleBinding leaseBinding = only(objects, RoleBinding.class);
        assertThat(leaseBinding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(leaseBinding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(leaseBinding.getRoleRef().getName())
                .isEqualTo(leases.getMetadata().getName());
        assertThat(leaseBinding.getSubjects())
                .extracting(s -> s.getNamespace() + "/" + s.getName())
                .containsExactly(NAMESPACE + "/" + OPERATOR);
    }

    @Test
    void watchingOneNamespaceGrantsTheClusterRoleThereOnly() {
        List<HasMetadata> objects = render(Map.of("watchNamespace", "printers"));
        assertThat(objects).noneMatch(ClusterRoleBinding.class::isInstance);
        assertThat(objects)
                .filteredOn(RoleBinding.class::isInstance)
                .map(RoleBinding.class::cast)
                .filteredOn(binding -> binding.getRoleRef().getKind().equals("ClusterRole"))
                .singleElement()
                .satisfies(binding -> {
                    assertThat(binding.getMetadata().getNamespace()).isEqualTo("printers");
                    assertThat(binding.getRoleRef().getName()).isEqualTo(OPERATOR);
                    assertThat(binding.getSubjects())
                            .extracting(s -> s.getNamespace() + "/" + s.getName())
                            .containsExactly(NAMESPACE + "/" + OPERATOR);
                });
        // the Lease stays in the release namespace
        assertThat(only(objects, Role.class).getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    }

    @Test
    void printersInValuesBecomeBambuPrintersAndAnAccessCodeBecomesASecret() {
        List<HasMetadata> objects = renderWithValues("""
                printers:
                  - name: p1s
                    namespace: printers
                    accessCode: "01234567"
                    spec:
                      host: 192.168.1.42
                      serial: 01P00A000000001
                      camera: chamber
                      services: [camera, mqtt]
                  - name: x1c
                    spec:
                      host: 192.168.1.43
                      serial: 00M00A000000001
                      accessCodeSecret: {name: x1c-code, key: code}
                      network: {mode: LoadBalancer}
                  - name: h2d
                    accessCode: "76543210"
                    spec:
                      host: h2d.lan
                      serial: 0948AB000000001
                      accessCodeSecret: {name: shared-codes, key: h2d}
                """);
        List<GenericKubernetesResource> printers = ofKind(objects, "BambuPrinter");
        assertThat(printers)
                .extracting(p ->
                        p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .containsExactly("printers/p1s", "pandaproxy/x1c", "pandaproxy/h2d");
        assertThat(printers).allSatisfy(p -> assertThat(p.getApiVersion()).isEqualTo("pandaproxy.dev/v1alpha1"));
        GenericKubernetesResource p1s = printers.getFirst();
        assertThat(p1s.<String>get("spec", "host")).isEqualTo("192.168.1.42");
        assertThat(p1s.<String>get("spec", "serial")).isEqualTo("01P00A000000001");
        assertThat(p1s.<String>get("spec", "camera")).isEqualTo("chamber");
        assertThat(p1s.<List<String>>get("spec", "services")).containsExactly("camera", "mqtt");
        // an access code without accessCodeSecret: the spec points at the Secret the chart renders
        assertThat(p1s.<Map<String, Object>>get("spec", "accessCodeSecret")).isEqualTo(Map.of("name", "p1s-code"));
        // the access code itself is never copied into the BambuPrinter
        assertThat(p1s.getAdditionalProperties().get("spec").toString()).doesNotContain("01234567");
        GenericKubernetesResource x1c = printers.get(1);
        assertThat(x1c.<String>get("spec", "accessCodeSecret", "key")).isEqualTo("code");
        assertThat(x1c.<String>get("spec", "network", "mode")).isEqualTo("LoadBalancer");

        // only printers with an access code in the values get a Secret, under the name and key their spec names
        assertThat(objects)
                .filteredOn(Secret.class::isInstance)
                .map(Secret.class::cast)
                .extracting(s ->
                        s.getMetadata().getNamespace() + "/" + s.getMetadata().getName() + " " + s.getStringData())
                .containsExactly("printers/p1s-code {access-code=01234567}", "pandaproxy/shared-codes {h2d=76543210}");
        // the rendered printers fit the CRD, and those with a code in the values find their Secret
        assertThat(printers)
                .allSatisfy(p -> assertThat(Manifests.schemaErrors(
                                p.getAdditionalProperties().get("spec")))
                        .as(p.getMetadata().getName())
                        .isEmpty());
        Manifests.assertUsablePrinters(
                objects.stream()
                        .filter(o -> !o.getMetadata().getName().equals("x1c"))
                        .toList(),
                "printers from values");
    }

    @Test
    void aPrinterWithoutNameOrWithAnUnquotedAccessCodeIsRefused() {
        assertThatThrownBy(() -> renderWithValues("""
                printers:
                  - spec: {host: 192.168.1.42, serial: 01P00A000000001, accessCodeSecret: {name: code}}
                """)).hasMessageContaining("printers[0].name is required");
        // unquoted, YAML (and Helm) read 12345678 as a number: it would reach the Secret mangled
        assertThatThrownBy(() -> renderWithValues("""
                printers:
                  - name: p1s
                    accessCode: 12345678
                    spec: {host: 192.168.1.42, serial: 01P00A000000001}
                """)).hasMessageContaining("printers[0].accessCode must be a string");
    }

    @Test
    void theServiceMonitorIsRenderedOnlyWhenEnabled() {
        assertThat(render(Map.of())).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
        List<HasMetadata> objects =
                render(Map.of("serviceMonitor.enabled", true, "serviceMonitor.labels.release", "prom"));
        GenericKubernetesResource monitor = ofKind(objects, "ServiceMonitor").getFirst();
        assertThat(ofKind(objects, "ServiceMonitor")).hasSize(1);
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        // it selects the operator's Service and scrapes its metrics port
        assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"))
                .isEqualTo(only(objects, Service.class).getSpec().getSelector());
        assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/observe/metrics");
    }

    @Test
    void writingPrintersAggregatesIntoAdminOnlyAndReadingIntoView() {
        List<HasMetadata> objects = render(Map.of());
        ClusterRole admin = clusterRole(objects, OPERATOR + "-printers-admin");
        ClusterRole view = clusterRole(objects, OPERATOR + "-printers-view");
        // a printer's pod gets the host's network on a node its spec picks: not for every namespace editor
        assertThat(admin.getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
                .doesNotContainKeys(
                        "rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-view");
        assertThat(admin.getRules())
                .extracting(HelmChartTest::rule)
                .containsExactly(
                        "pandaproxy.dev bambuprinters get,list,watch,create,update,patch,delete,deletecollection");
        assertThat(view.getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
                .doesNotContainKeys(
                        "rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-admin");
        assertThat(view.getRules())
                .extracting(HelmChartTest::rule)
                .containsExactly("pandaproxy.dev bambuprinters,bambuprinters/status get,list,watch");

        assertThat(render(Map.of("printerRoles.enabled", false)))
                .filteredOn(ClusterRole.class::isInstance)
                .extracting(o -> o.getMetadata().getName())
                .containsExactly(OPERATOR);
    }

    private static ClusterRole clusterRole(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(ClusterRole.class::isInstance)
                .map(ClusterRole.class::cast)
                .filter(role -> role.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ClusterRole " + name));
    }

    /** A rule as "groups resources(names) verbs", so a widened or reordered rule shows in the failure. */
    private static String rule(PolicyRule rule) {
        String names =
                rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        ? ""
                        : "(" + String.join(",", rule.getResourceNames()) + ")";
        return String.join(",", rule.getApiGroups()) + " " + String.join(",", rule.getResources()) + names + " "
                + String.join(",", rule.getVerbs());
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(env -> env.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }
}
