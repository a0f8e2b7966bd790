package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.http.MetricsService;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.operator.model.SecretKeyRef;
import dev.pandaproxy.packaging.ChartRbac;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.tls.Fingerprint;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.PrinterTrust;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator against fabric8's mock API server in CRUD mode (the generated CRD installed, so status is a
 * subresource and generations count): informers, work queue, reconciler and status, end to end.
 */
class OperatorTest {
    private static final String NS = "printers";
    /** The operator's own namespace, where its Lease lives: the chart's release namespace. */
    private static final String OPERATOR_NS = "pandaproxy";

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ProxyPod.Images IMAGES =
            new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0", "bluenviron/mediamtx:1.20.1");

    @TempDir
    Path dir;

    /** The chart's RBAC when it watches the printers' namespace: what the operator's requests are checked against. */
    private static final ChartRbac RBAC = ChartRbac.render(Map.of("watchNamespace", NS));

    private MockCluster cluster;
    private ApplyAsCreateOrReplace api;
    /** The test's client. */
    private KubernetesClient client;
    /** The operator's client, under the chart's RBAC. */
    private KubernetesClient operatorClient;

    private PrinterController controller;
    private final AtomicReference<String> controllerFailure = new AtomicReference<>();
    private ServicePorts probePorts = ServicePorts.PRINTER;

    @BeforeEach
    void startApiServer() {
        cluster = new MockCluster(RBAC);
        api = cluster.api;
        client = cluster.admin;
        operatorClient = cluster.operator;
    }

    @AfterEach
    void stop() {
        if (controller != null) {
            controller.close();
        }
        cluster.close();
        assertThat(controllerFailure.get()).as("why the controller stopped").isNull();
    }

    @Test
    void aPrinterGetsItsDeploymentAndConfigMapOwnedByIt() {
        startOperator();
        BambuPrinter printer = create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");

        Deployment deployment = await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);
        ConfigMap config =
                client.configMaps().inNamespace(NS).withName("pandaproxy-p1s").get();
        for (HasMetadata child : new HasMetadata[] {deployment, config}) {
            assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("BambuPrinter");
                assertThat(owner.getName()).isEqualTo("p1s");
                assertThat(owner.getUid()).isEqualTo(printer.getMetadata().getUid());
                assertThat(owner.getController()).isTrue();
            });
        }
        assertThat(config.getData().get("proxy.yaml"))
                .contains("host: 192.168.1.42")
                .contains("mode: chamber");
        assertThat(deployment.getSpec().getTemplate().getSpec().getHostNetwork())
                .isTrue();
        assertThat(Map.copyOf(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getEnv()
                        .getFirst()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getAdditionalProperties()))
                .isEmpty();

        BambuPrinterStatus status =
                await().atMost(WAIT).until(() -> status("p1s"), s -> s != null && s.getCamera() != null);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getCamera()).isEqualTo("chamber");
        assertThat(condition(status, "Ready")).satisfies(ready -> {
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("ProxyStarting");
        });
        // the Ready transition was announced
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                client.v1().events().inNamespace(NS).list().getItems())
                        .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("ProxyStarting")));
    }

    @Test
    void theDeploymentFollowsSpecChanges() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        Deployment first = await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);

        Printers.replaceInSpec(client, NS, "p1s", Map.of("host", "\"192.168.1.77\"", "services", "[\"camera\"]"));

        Deployment changed = await().atMost(WAIT)
                .until(() -> deployment("p1s"), d -> d != null && !configHash(d).equals(configHash(first)));
        assertThat(client.configMaps()
                        .inNamespace(NS)
                        .withName("pandaproxy-p1s")
                        .get()
                        .getData()
                        .get("proxy.yaml"))
                .contains("host: 192.168.1.77");
        assertThat(changed.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getPorts())
                .extracting(port -> port.getContainerPort())
                .containsExactly(6000, 8080, 8443);
        await().atMost(WAIT).until(() -> status("p1s").getObservedGeneration() == 2L);
    }

    @Test
    void readyFollowsTheRolloutOfTheCurrentPodTemplate() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        Deployment first = await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);
        rolledOut(first);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readyOf("p1s").getReason()).isEqualTo("ProxyRunning"));

        // a new pod template: until the Deployment's controller has seen it, its status describes the old pod, ready
        Printers.replaceInSpec(client, NS, "p1s", Map.of("host", "\"192.168.1.77\""));
        Deployment changed = await().atMost(WAIT)
                .until(
                        () -> deployment("p1s"),
                        d -> d.getMetadata().getGeneration()
                                > first.getMetadata().getGeneration());
        assertThat(changed.getStatus().getAvailableReplicas()).isEqualTo(1);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readyOf("p1s").getReason()).isEqualTo("ProxyStarting"));

        rolledOut(changed);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readyOf("p1s").getReason()).isEqualTo("ProxyRunning"));
    }

    @Test
    void anObjectDeletedByHandIsPutBack() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        await().atMost(WAIT)
                .until(() -> client.configMaps()
                                .inNamespace(NS)
                                .withName("pandaproxy-p1s")
                                .get()
                        != null);

        client.configMaps().inNamespace(NS).withName("pandaproxy-p1s").delete();

        await().atMost(WAIT)
                .until(() -> client.configMaps()
                                .inNamespace(NS)
                                .withName("pandaproxy-p1s")
                                .get()
                        != null);
    }

    @Test
    void aHandScaleOrEditOfTheProxyDeploymentIsUndone() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);

        // kubectl scale, then kubectl edit of the image: both are the operator's fields
        client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("pandaproxy-p1s")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3},"
                                + "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"evil:latest\"}]");

        await().atMost(WAIT)
                .until(
                        () -> deployment("p1s"),
                        d -> d.getSpec().getReplicas() == 1
                                && d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .getFirst()
                                        .getImage()
                                        .equals(IMAGES.proxy()));
    }

    @Test
    void aChangedAccessCodeRollsTheProxyPod() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        String before = await().atMost(WAIT)
                .until(() -> deployment("p1s"), d -> d != null)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("pandaproxy.dev/secrets-hash");

        client.secrets()
                .inNamespace(NS)
                .withName("p1s-code")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/data/access-code\",\"value\":\""
                                + Base64.getEncoder().encodeToString("87654321".getBytes()) + "\"}]");

        await().atMost(WAIT)
                .until(
                        () -> deployment("p1s")
                                .getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getAnnotations()
                                .get("pandaproxy.dev/secrets-hash"),
                        after -> after != null && !after.equals(before));
        // the pod template names the Secret; its value is never in it
        assertThat(Serialization.asJson(deployment("p1s"))).doesNotContain("87654321");
    }

    @Test
    void everyPrinterGetsACertificateFromTheOneInstallationCaWhichSurvivesRestartsAndUpgrades() throws Exception {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        create(printer("x1c", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        Secret p1s = await().atMost(WAIT).until(() -> secret(NS, "pandaproxy-p1s-tls"), s -> s != null);
        Secret x1c = await().atMost(WAIT).until(() -> secret(NS, "pandaproxy-x1c-tls"), s -> s != null);
        Secret ca = secret(OPERATOR_NS, "pandaproxy-ca");
        X509Certificate caCertificate = certificates(ca, "ca.crt").getFirst();

        for (Secret identity : List.of(p1s, x1c)) {
            assertThat(identity.getType()).isEqualTo("kubernetes.io/tls");
            X509Certificate leaf = certificates(identity, "tls.crt").getFirst();
            assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + Printers.SERIAL);
            leaf.verify(caCertificate.getPublicKey());
            assertThat(certificates(identity, "tls.crt").getLast()).isEqualTo(caCertificate);
        }
        // the pods present it, and nothing of their own
        assertThat(deployment("p1s").getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(volume -> assertThat(
                                volume.getSecret() == null
                                        ? null
                                        : volume.getSecret().getSecretName())
                        .isEqualTo("pandaproxy-p1s-tls"));

        // an operator upgrade (a new process: nothing in memory) and a spec change that replaces the pod
        controller.close();
        startOperator();
        Printers.replaceInSpec(client, NS, "p1s", Map.of("services", "[\"camera\",\"mqtt\"]"));
        await().atMost(WAIT).until(() -> status("p1s").getObservedGeneration() == 2L);
        controller.reconcile(NS, "p1s");

        assertThat(Fingerprint.sha256(certificates(secret(OPERATOR_NS, "pandaproxy-ca"), "ca.crt")
                        .getFirst()))
                .isEqualTo(Fingerprint.sha256(caCertificate));
        assertThat(secret(NS, "pandaproxy-p1s-tls").getData()).isEqualTo(p1s.getData());
    }

    @Test
    void pinsTheProxyReportsAreKeptForItsNextPod() throws Exception {
        try (SimulatedPrinter simulated = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(simulated, dir.resolve("proxy"));
            settings.put("printer.trust", "pin");
            settings.put("proxy.services", "mqtt");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                // the proxy's first printer connection pins the printer's certificate
                await().atMost(WAIT).until(() -> !proxy.status().printerPins().isEmpty());
                BambuPrinter printer = printerWithPodAt(proxy);
                startOperator();
                create(printer, Fixtures.CODE);

                Secret identity = await().atMost(WAIT)
                        .until(
                                () -> secret(NS, "pandaproxy-p1s-tls"),
                                s -> s != null && s.getData().containsKey("printer-pins.properties"));
                String pins =
                        new String(Base64.getDecoder().decode(identity.getData().get("printer-pins.properties")));
                proxy.status()
                        .printerPins()
                        .forEach((port, fingerprint) -> assertThat(pins).contains("port." + port + "=" + fingerprint));

                // the next pod's proxy starts from them: a printer presenting another certificate is refused
                Path known = Files.writeString(dir.resolve("known-pins.properties"), pins.replaceAll("=.*", "=00:11"));
                PrinterTrust trust = PrinterTrust.create(
                        TrustMode.PIN,
                        Optional.empty(),
                        dir.resolve("fresh-pod-pins"),
                        Optional.of(known),
                        Fixtures.SERIAL);
                assertThat(trust.pins())
                        .isNotEmpty()
                        .allSatisfy(
                                (port, fingerprint) -> assertThat(fingerprint).isEqualTo("00:11"));
            }
        }
    }

    @Test
    void aProxyPodThatCannotBeScheduledIsReportedInReadyWithWhatToDo() {
        startOperator();
        BambuPrinter printer = printer("x1c", BambuPrinterSpec.Camera.CHAMBER);
        create(printer, "12345678");
        await().atMost(WAIT)
                .until(
                        () -> readyOf("x1c"),
                        ready -> ready != null && ready.getReason().equals("ProxyStarting"));

        // what the scheduler writes when another printer's pod holds the ports on the only node
        client.resource(Printers.portConflict(
                        NS,
                        "pandaproxy-x1c-0",
                        new ProxyPod(printer, "chamber", IMAGES, "", Optional.empty()).labels()))
                .create();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(readyOf("x1c").getReason()).isEqualTo("PortConflict");
            assertThat(readyOf("x1c").getMessage()).contains("spec.network.hostIP");
        });
    }

    @Test
    void inLoadBalancerModeTheProxyAdvertisesTheAssignedAddress() {
        startOperator();
        BambuPrinter printer = printer("p1s", BambuPrinterSpec.Camera.CHAMBER);
        printer.getSpec().getNetwork().setMode(BambuPrinterSpec.NetworkMode.LOAD_BALANCER);
        create(printer, "12345678");
        await().atMost(WAIT)
                .until(() -> client.services()
                                .inNamespace(NS)
                                .withName("pandaproxy-p1s")
                                .get()
                        != null);
        assertThat(proxyYaml("p1s")).doesNotContain("advertise-address");

        // MetalLB or Cilium LB-IPAM assigns the address
        client.services()
                .inNamespace(NS)
                .withName("pandaproxy-p1s")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.168.1.240\"}]}}}]");

        await().atMost(WAIT).until(() -> proxyYaml("p1s").contains("advertise-address: 192.168.1.240"));
        await().atMost(WAIT).until(() -> status("p1s").getEndpoints().contains("mqtts://192.168.1.240:8883"));
    }

    @Test
    void aMissingSecretOrKeyIsNamedInReadyAndTheProxyWaitsForIt() {
        startOperator();
        client.resource(printer("p1s", BambuPrinterSpec.Camera.CHAMBER)).create();

        Condition missing = await().atMost(WAIT).until(() -> readyOf("p1s"), ready -> ready != null);
        assertThat(missing.getStatus()).isEqualTo("False");
        assertThat(missing.getReason()).isEqualTo("AccessCodeSecretMissing");
        assertThat(missing.getMessage())
                .contains("Secret p1s-code not found in namespace printers")
                .contains("kubectl create secret generic p1s-code --from-literal=access-code=<code>");
        assertThat(deployment("p1s")).isNull();

        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("p1s-code")
                        .withNamespace(NS)
                        .endMetadata()
                        .addToStringData("code", "12345678")
                        .build())
                .create();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readyOf("p1s").getMessage())
                        .contains("Secret p1s-code has no key access-code (it has: code)"));
        assertThat(deployment("p1s")).isNull();

        client.secrets().inNamespace(NS).withName("p1s-code").edit(s -> {
            s.setData(Map.of("access-code", Base64.getEncoder().encodeToString("12345678".getBytes())));
            return s;
        });
        await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);
        // the status follows the objects, in the same reconcile
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readyOf("p1s").getReason()).isEqualTo("ProxyStarting"));
    }

    @Test
    void anRtspPrinterGetsItsSidecarAndGeneratedSecrets() {
        startOperator();
        create(printer("x1c", BambuPrinterSpec.Camera.RTSP), "12345678");
        Deployment deployment = await().atMost(WAIT).until(() -> deployment("x1c"), d -> d != null);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("proxy", "mediamtx");
        Secret generated =
                client.secrets().inNamespace(NS).withName("pandaproxy-x1c").get();
        assertThat(generated.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo("x1c"));
        assertThat(generated.getData().keySet()).containsExactly("publisher-password");
        // MediaMTX's configuration, with the code and that password, is there before its container starts
        String password =
                new String(Base64.getDecoder().decode(generated.getData().get("publisher-password")));
        String mediamtx = new String(Base64.getDecoder()
                .decode(secret(NS, "pandaproxy-x1c-mediamtx").getData().get("mediamtx.yml")));
        assertThat(mediamtx).contains("pass: \"12345678\"").contains(password);
    }

    @Test
    void cameraAutoIsResolvedByProbingThePrinterAgainForEachGenerationOfTheSpec() throws IOException {
        try (SimulatedPrinter simulated = Fixtures.printer(dir.resolve("printer"))) {
            probePorts = new ServicePorts(simulated.camera().port(), 1, 1, closedPort());
            startOperator();
            BambuPrinter printer = printer("p1s", BambuPrinterSpec.Camera.AUTO);
            printer.getSpec().setHost("127.0.0.1");
            create(printer, Fixtures.CODE);

            BambuPrinterStatus status =
                    await().atMost(WAIT).until(() -> status("p1s"), s -> s != null && s.getCamera() != null);
            assertThat(status.getCamera()).isEqualTo("chamber");
            assertThat(condition(status, "CameraDetected").getReason()).isEqualTo("CameraFound");
            assertThat(condition(status, "PrinterReachable").getStatus()).isEqualTo("True");
            assertThat(client.configMaps()
                            .inNamespace(NS)
                            .withName("pandaproxy-p1s")
                            .get()
                            .getData()
                            .get("proxy.yaml"))
                    .contains("mode: chamber");

            // the printer behind this resource was replaced (a new address): what was found before no longer holds
            Printers.replaceInSpec(client, NS, "p1s", Map.of("host", "\"127.0.0.2\""));

            BambuPrinterStatus replaced = await().atMost(WAIT)
                    .until(() -> status("p1s"), s -> s.getObservedGeneration() == 2L && "none".equals(s.getCamera()));
            assertThat(condition(replaced, "CameraDetected").getObservedGeneration())
                    .isEqualTo(2L);
        }
    }

    @Test
    void aSlowCameraProbeDoesNotHoldTheReconcileAndItsResultArrivesAsAnEvent() throws Exception {
        // a printer that accepts connections and never says anything: each probe takes its whole timeout
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            probePorts = new ServicePorts(silent.getLocalPort(), 1, 1, silent.getLocalPort());
            startOperator();
            BambuPrinter printer = printer("p1s", BambuPrinterSpec.Camera.AUTO);
            printer.getSpec().setHost("127.0.0.1");
            create(printer, Fixtures.CODE);

            // the reconcile said what it waits for, while the probe still ran
            await().atMost(WAIT)
                    .until(
                            () -> readyOf("p1s"),
                            ready -> ready != null && ready.getReason().equals("ProbingCamera"));
            // and the probe's end brought the printer back without any other event
            BambuPrinterStatus status =
                    await().atMost(WAIT).until(() -> status("p1s"), s -> "none".equals(s.getCamera()));
            assertThat(condition(status, "CameraDetected").getReason()).isEqualTo("NoCameraFound");
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void theCameraProbeVerifiesThePrinterAsSpecTrustSays() throws Exception {
        try (SimulatedPrinter simulated = Fixtures.printer(dir.resolve("printer"));
                SimulatedPrinter other = Fixtures.printer(dir.resolve("other"))) {
            probePorts = new ServicePorts(simulated.camera().port(), 1, 1, closedPort());
            startOperator();
            // trust ca with a CA that did not sign the printer: the probe refuses it before logging in
            client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("wrong-ca")
                            .withNamespace(NS)
                            .endMetadata()
                            .addToStringData("ca.pem", Files.readString(other.caFile()))
                            .build())
                    .create();
            client.resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName("printer-ca")
                            .withNamespace(NS)
                            .endMetadata()
                            .addToStringData("ca.pem", Files.readString(simulated.caFile()))
                            .build())
                    .create();
            for (String name : List.of("wrong", "right")) {
                BambuPrinter printer = printer(name, BambuPrinterSpec.Camera.AUTO);
                printer.getSpec().setHost("127.0.0.1");
                printer.getSpec().getTrust().setMode(BambuPrinterSpec.TrustMode.CA);
                printer.getSpec()
                        .getTrust()
                        .setCaSecret(new SecretKeyRef(name.equals("wrong") ? "wrong-ca" : "printer-ca", null));
                create(printer, Fixtures.CODE);
            }

            BambuPrinterStatus right =
                    await().atMost(WAIT).until(() -> status("right"), s -> s != null && s.getCamera() != null);
            assertThat(right.getCamera()).isEqualTo("chamber");
            BambuPrinterStatus wrong =
                    await().atMost(WAIT).until(() -> status("wrong"), s -> s != null && s.getCamera() != null);
            assertThat(wrong.getCamera()).isEqualTo("none");
            assertThat(condition(wrong, "CameraDetected").getMessage()).containsIgnoringCase("certificat");
        }
    }

    @Test
    void aReconcileReadsItsPrinterFromTheCachesAndAsksTheApiServerNothing() {
        startOperator();
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
        // its proxy pod, not scheduled: the reconcile looks at the pods to say why
        client.resource(Printers.portConflict(
                        NS,
                        "pandaproxy-p1s-0",
                        new ProxyPod(
                                        printer("p1s", BambuPrinterSpec.Camera.CHAMBER),
                                        "chamber",
                                        IMAGES,
                                        "",
                                        Optional.empty())
                                .labels()))
                .create();
        await().atMost(WAIT)
                .until(
                        () -> readyOf("p1s"),
                        ready -> ready != null && ready.getReason().equals("PortConflict"));
        await().atMost(WAIT).until(() -> controller.queued() == 0);
        List<ChartRbac.Request> before = api.operatorLog();
        assertThat(before)
                .as("the operator's requests are recorded: its informers listed Secrets and pods")
                .anyMatch(request ->
                        request.verb().equals("list") && request.resource().equals("secrets"))
                .anyMatch(request ->
                        request.verb().equals("list") && request.resource().equals("pods"));

        assertThat(controller.reconcile(NS, "p1s")).isEqualTo(PrinterReconciler.Outcome.DONE);

        // the printer, its Secrets (access code, identity, CA), its Deployment and its pods came from the caches;
        // nothing changed, so nothing was written either
        assertThat(api.operatorLog().subList(before.size(), api.operatorLog().size()))
                .as("requests of one reconcile once the caches are synced")
                .isEmpty();
        assertThat(readyOf("p1s").getReason()).isEqualTo("PortConflict");
    }

    @Test
    void aHundredPrintersAreReconciledAndThenNothingIsWrittenWhileNothingChanges() {
        startOperator();
        IntStream.range(0, 100)
                .forEach(i -> create(printer("printer-" + i, BambuPrinterSpec.Camera.CHAMBER), "1234567" + (i % 10)));
        await().atMost(Duration.ofSeconds(120))
                .until(() -> IntStream.range(0, 100).allMatch(i -> {
                            BambuPrinterStatus status = status("printer-" + i);
                            return deployment("printer-" + i) != null && status != null && status.getCamera() != null;
                        })
                        && controller.queued() == 0);
        int writes = api.writes();

        // every printer looked at again, as a resync does: level-based, so nothing is sent
        IntStream.range(0, 100).forEach(i -> controller.reconcile(NS, "printer-" + i));

        assertThat(api.writes()).isEqualTo(writes);
    }

    @Test
    void clientsOfTheProxyPodFlowIntoThePrintersStatus() throws Exception {
        try (SimulatedPrinter simulated = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(simulated, dir.resolve("proxy"));
            settings.put("proxy.services", "camera,mqtt");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                int mqttPort = proxy.mqtt().orElseThrow().port();
                List<Mqtt3BlockingClient> clients = List.of(
                        MqttClients.connect(mqttPort, dir.resolve("proxy"), "ha", "bblp", Fixtures.CODE),
                        MqttClients.connect(mqttPort, dir.resolve("proxy"), "slicer", "bblp", Fixtures.CODE));
                BambuPrinter printer = printerWithPodAt(proxy);
                startOperator();
                create(printer, Fixtures.CODE);

                BambuPrinterStatus status = await().atMost(WAIT)
                        .until(
                                () -> status("p1s"),
                                s -> s != null && s.getTotalClients() != null && s.getTotalClients() == 2);
                assertThat(status.getClients()).containsEntry("mqtt", 2);
                // the proxy's printer session is up: the printer is reachable
                assertThat(condition(status, "PrinterReachable").getReason()).isEqualTo("PrinterAnswered");
                assertThat(status.getEndpoints()).contains("mqtts://127.0.0.1:8883", "chamber://127.0.0.1:6000");
                clients.forEach(Mqtt3BlockingClient::disconnect);
            }
        }
    }

    @Test
    void theOperatorTakesTheLeaseThenReconcilesAndReportsHealthAndMetrics() throws Exception {
        Operator.Settings settings = new Operator.Settings(
                Optional.of(NS), true, OPERATOR_NS, "operator-a", IMAGES, 0, Operator.LEASE_DURATION);
        try (Operator operator = Operator.start(operatorClient, settings)) {
            create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");
            await().atMost(WAIT).until(() -> deployment("p1s"), d -> d != null);
            assertThat(client.leases()
                            .inNamespace(OPERATOR_NS)
                            .withName("pandaproxy-operator")
                            .get()
                            .getSpec()
                            .getHolderIdentity())
                    .isEqualTo("operator-a");
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/observe/health/live", "/observe/health/ready"}) {
                await().atMost(WAIT)
                        .until(() -> http.send(
                                                HttpRequest.newBuilder(URI.create(
                                                                "http://127.0.0.1:" + operator.httpPort() + path))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200);
            }
            // what a Prometheus scrape (the chart's ServiceMonitor) sees: this replica leads and watches the printer
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(http.send(
                                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort()
                                                            + MetricsService.PATH))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .contains("# TYPE pandaproxy_operator_leader gauge")
                            .containsPattern("(?m)^pandaproxy_operator_leader 1\\.0$")
                            .containsPattern("(?m)^pandaproxy_operator_printers 1\\.0$"));
        }
    }

    @Test
    void aLeaderThatLosesTheLeaseStopsSaysWhyAndIsNotReady() throws Exception {
        try (Operator operator = Operator.start(operatorClient, electing("operator-a"))) {
            await().atMost(WAIT).until(() -> ready(operator) == 200);
            // it renews the Lease the way the chart allows (a merge patch), or this wait ends in a 403
            await().atMost(WAIT)
                    .until(() -> api.operatorRequests()
                            .contains(new ChartRbac.Request(
                                    "patch", "coordination.k8s.io", "leases", OPERATOR_NS, null)));

            // another replica holds the Lease now (as after a network partition outlasting the lease)
            client.leases()
                    .inNamespace(OPERATOR_NS)
                    .withName("pandaproxy-operator")
                    .edit(lease -> {
                        lease.getSpec().setHolderIdentity("operator-b");
                        lease.getSpec().setLeaseDurationSeconds(60);
                        lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                        return lease;
                    });

            assertThat(failure(operator)).isEqualTo("lost the Lease pandaproxy/pandaproxy-operator to operator-b");
            assertThat(ready(operator)).isEqualTo(503);
        }
    }

    @Test
    void aLeaderThatMayNotRenewTheLeaseStopsAndSaysWhy() throws Exception {
        // a cluster refusing the renewal, as one did with the chart's Role that granted update instead of patch
        api.refuse(
                request -> request.resource().equals("leases") && request.verb().equals("patch"));
        try (Operator operator = Operator.start(operatorClient, electing("operator-a"))) {
            assertThat(failure(operator))
                    .startsWith("lost the Lease pandaproxy/pandaproxy-operator (cannot renew the Lease")
                    .contains("Forbidden");
            assertThat(ready(operator)).isEqualTo(503);
        }
    }

    @Test
    void aLeaderWhoseControllerCannotStartStopsAndSaysWhy() throws Exception {
        api.refuse(request ->
                request.resource().equals("bambuprinters") && request.verb().equals("list"));
        try (Operator operator = Operator.start(operatorClient, electing("operator-a"))) {
            assertThat(failure(operator))
                    .startsWith("could not start reconciling printers:")
                    .contains("bambuprinters");
            assertThat(ready(operator)).isEqualTo(503);
        }
    }

    @Test
    void aStandbyIsReadyWhileTheLeaseAnswersAndNotWhenItCannotReadIt() throws Exception {
        try (Operator leader = Operator.start(operatorClient, electing("operator-a"))) {
            await().atMost(WAIT).until(() -> ready(leader) == 200);
            try (Operator standby = Operator.start(operatorClient, electing("operator-b"))) {
                // a spare that can take over: ready, so that a rolling update can replace the leader
                await().atMost(WAIT).until(() -> ready(standby) == 200);
                assertThat(standby.failed().toCompletableFuture()).isNotDone();

                api.refuse(request ->
                        request.resource().equals("leases") && request.verb().equals("get"));
                await().atMost(WAIT).until(() -> ready(standby) == 503);
                assertThat(health(standby))
                        .contains("cannot read the Lease pandaproxy/pandaproxy-operator")
                        .contains("Forbidden");
            }
        }
    }

    @Test
    void watchingEveryNamespaceNeedsOnlyTheChartsClusterWideGrant() {
        api.enforce(ChartRbac.render(Map.of()));
        controller = new PrinterController(
                operatorClient,
                Optional.empty(),
                reconciler(),
                new BackoffConfig(Duration.ofMillis(100), Duration.ofSeconds(2)),
                2);
        controller.start(controllerFailure::set);
        create(printer("p1s", BambuPrinterSpec.Camera.CHAMBER), "12345678");

        await().atMost(WAIT).until(() -> status("p1s"), s -> s != null && s.getCamera() != null);
        assertThat(api.operatorRequests())
                .contains(new ChartRbac.Request("watch", "pandaproxy.dev", "bambuprinters", null, null));
    }

    private void startOperator() {
        controller = new PrinterController(
                operatorClient,
                Optional.of(NS),
                reconciler(),
                new BackoffConfig(Duration.ofMillis(100), Duration.ofSeconds(2)),
                2);
        controller.start(controllerFailure::set);
    }

    /** Leader election with a short Lease, so that a renewal (or its failure) comes within a test's patience. */
    /** What the Deployment controller writes once the pod of the Deployment's current generation is ready. */
    private void rolledOut(Deployment deployment) {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .withName(deployment.getMetadata().getName())
                .editStatus(d -> {
                    d.setStatus(new DeploymentStatusBuilder()
                            .withObservedGeneration(deployment.getMetadata().getGeneration())
                            .withReplicas(1)
                            .withUpdatedReplicas(1)
                            .withReadyReplicas(1)
                            .withAvailableReplicas(1)
                            .build());
                    return d;
                });
    }

    private static Operator.Settings electing(String identity) {
        return new Operator.Settings(Optional.of(NS), true, OPERATOR_NS, identity, IMAGES, 0, Duration.ofSeconds(2));
    }

    /** Why the operator stopped acting, waiting for it. */
    private static String failure(Operator operator) throws Exception {
        return operator.failed().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static int ready(Operator operator) throws Exception {
        return HttpClient.newHttpClient()
                .send(readiness(operator), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String health(Operator operator) throws Exception {
        return HttpClient.newHttpClient()
                .send(readiness(operator), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpRequest readiness(Operator operator) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + "/observe/health/ready"))
                .build();
    }

    private PrinterReconciler reconciler() {
        return new PrinterReconciler(
                operatorClient,
                IMAGES,
                new CameraProbe(probePorts, Duration.ofSeconds(2), dir.resolve("operator")),
                Clock.systemUTC(),
                Duration.ofMillis(500),
                new ProxyStatusReader(),
                Duration.ofMillis(200),
                OPERATOR_NS);
    }

    private BambuPrinter create(BambuPrinter printer, String code) {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(printer.getMetadata().getName() + "-code")
                        .withNamespace(NS)
                        .endMetadata()
                        .addToData("access-code", Base64.getEncoder().encodeToString(code.getBytes()))
                        .build())
                .create();
        return client.resource(printer).create();
    }

    private static BambuPrinter printer(String name, BambuPrinterSpec.Camera camera) {
        BambuPrinter printer = Printers.printer(NS, name, "192.168.1.42");
        printer.getSpec().setCamera(camera);
        return printer;
    }

    /** Printer p1s, its proxy pod as the API server shows it: its labels, and {@code proxy}'s address and HTTP port. */
    private BambuPrinter printerWithPodAt(PandaProxy proxy) {
        BambuPrinter printer = printer("p1s", BambuPrinterSpec.Camera.CHAMBER);
        printer.getSpec().getNetwork().setHttpPort(proxy.httpPort());
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("pandaproxy-p1s-0")
                        .withNamespace(NS)
                        .withLabels(new ProxyPod(printer, "chamber", IMAGES, "", Optional.empty()).labels())
                        .endMetadata()
                        .withNewStatus()
                        .withPodIP("127.0.0.1")
                        .withHostIP("127.0.0.1")
                        .endStatus()
                        .build())
                .create();
        return printer;
    }

    private String proxyYaml(String printer) {
        return client.configMaps()
                .inNamespace(NS)
                .withName("pandaproxy-" + printer)
                .get()
                .getData()
                .get("proxy.yaml");
    }

    private Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    private static List<X509Certificate> certificates(Secret secret, String key) throws IOException {
        return Pem.parseCertificates(
                new String(Base64.getDecoder().decode(secret.getData().get(key))));
    }

    private Deployment deployment(String printer) {
        return client.apps()
                .deployments()
                .inNamespace(NS)
                .withName("pandaproxy-" + printer)
                .get();
    }

    private BambuPrinterStatus status(String printer) {
        BambuPrinter current = client.resources(BambuPrinter.class)
                .inNamespace(NS)
                .withName(printer)
                .get();
        return current == null ? null : current.getStatus();
    }

    private Condition readyOf(String printer) {
        BambuPrinterStatus status = status(printer);
        return status == null
                ? null
                : status.getConditions().stream()
                        .filter(c -> c.getType().equals("Ready"))
                        .findFirst()
                        .orElse(null);
    }

    private static Condition condition(BambuPrinterStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    private static String configHash(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("pandaproxy.dev/config-hash");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
