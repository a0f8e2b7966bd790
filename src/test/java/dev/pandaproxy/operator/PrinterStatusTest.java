package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A printer's status from what was observed and what the reconcile did, with no API server, pod or clock: what
 * {@code kubectl get bp} and {@code kubectl describe bp} show for each situation.
 */
class PrinterStatusTest {
    private static final String NS = "printers";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-01T10:05:00Z");
    private static final ProxyPod.Images IMAGES =
            new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0", "bluenviron/mediamtx:1.20.1");

    @Test
    void aMissingAccessCodeSecretIsNamedWithTheCommandThatMakesIt() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);

        BambuPrinterStatus status =
                PrinterStatus.of(printer, observed(printer, List.of()), new PrinterStatus.WaitingForAccessCode(), T0);

        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(condition(status, "Ready")).satisfies(ready -> {
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("AccessCodeSecretMissing");
            assertThat(ready.getMessage())
                    .contains("Secret p1s-code not found in namespace printers")
                    .contains("kubectl create secret generic p1s-code --from-literal=access-code=<code>");
            assertThat(ready.getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        });
    }

    @Test
    void anAccessCodeSecretWithoutTheKeySaysWhichKeysItHas() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);
        Secret wrongKey = new SecretBuilder()
                .withNewMetadata()
                .withName("p1s-code")
                .withNamespace(NS)
                .endMetadata()
                .addToData("code", "MTIzNDU2Nzg=")
                .build();

        BambuPrinterStatus status = PrinterStatus.of(
                printer, observed(printer, List.of(wrongKey)), new PrinterStatus.WaitingForAccessCode(), T0);

        assertThat(condition(status, "Ready").getMessage())
                .isEqualTo("Secret p1s-code has no key access-code (it has: code); set spec.accessCodeSecret.key or add"
                        + " the key");
    }

    @Test
    void aRolledOutProxyIsReadyWithItsEndpointsClientsAndPrinterConnection() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);
        ProxyStatusReader.Report report =
                new ProxyStatusReader.Report(Map.of("mqtt", 2, "camera", 1), Optional.of(true), "", Map.of());
        Observed observed = observed(printer, List.of(), List.of(runningPod("10.0.0.7")), Optional.of(report));

        BambuPrinterStatus status = PrinterStatus.of(printer, observed, applied(printer, deployment(4, 4)), T0);

        assertThat(condition(status, "Ready").getReason()).isEqualTo("ProxyRunning");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "CameraDetected").getReason()).isEqualTo("CameraConfigured");
        assertThat(condition(status, "PrinterReachable").getReason()).isEqualTo("PrinterAnswered");
        assertThat(status.getCamera()).isEqualTo("chamber");
        assertThat(status.getEndpoints()).contains("mqtts://10.0.0.7:8883", "chamber://10.0.0.7:6000");
        assertThat(status.getClients()).isEqualTo(Map.of("mqtt", 2, "camera", 1));
        assertThat(status.getTotalClients()).isEqualTo(3);
    }

    @Test
    void aDeploymentWhoseControllerHasNotSeenTheNewTemplateIsStillStarting() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);

        BambuPrinterStatus status =
                PrinterStatus.of(printer, observed(printer, List.of()), applied(printer, deployment(5, 4)), T0);

        assertThat(condition(status, "Ready").getReason()).isEqualTo("ProxyStarting");
        assertThat(status.getEndpoints())
                .as("no pod placed yet: no node address")
                .isEmpty();
    }

    @Test
    void aPodThatCannotBeScheduledIsTheReasonReadyGives() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);
        Pod pending = Printers.portConflict(NS, "pandaproxy-p1s-0", Map.of());

        BambuPrinterStatus status = PrinterStatus.of(
                printer,
                observed(printer, List.of(), List.of(pending), Optional.empty()),
                applied(
                        printer,
                        deployment(4, 4)
                                .edit()
                                .editStatus()
                                .withAvailableReplicas(0)
                                .endStatus()
                                .build()),
                T0);

        assertThat(condition(status, "Ready").getReason()).isEqualTo("PortConflict");
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusStaysAndGetsANewOneWhenItFlips() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);
        printer.setStatus(
                PrinterStatus.of(printer, observed(printer, List.of()), applied(printer, deployment(4, 3)), T0));

        BambuPrinterStatus stillStarting =
                PrinterStatus.of(printer, observed(printer, List.of()), applied(printer, deployment(4, 3)), T1);
        BambuPrinterStatus ready =
                PrinterStatus.of(printer, observed(printer, List.of()), applied(printer, deployment(4, 4)), T1);

        assertThat(condition(stillStarting, "Ready").getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(stillStarting).usingRecursiveComparison().isEqualTo(printer.getStatus());
        assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(printer.getStatus().getConditions())
                .as("the observed printer's own status is not changed")
                .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z"));
    }

    @Test
    void aProbeThatFoundNoCameraBecauseThePrinterRefusedSaysThePrinterIsUnreachable() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.AUTO);
        CameraDetector.Detection refused = new CameraDetector.Detection(
                CameraConfig.Mode.NONE, "port 6000: connection refused; port 322: connection refused");
        CameraChoice camera = CameraChoice.of(printer, Optional.of(refused));

        BambuPrinterStatus status = PrinterStatus.of(
                printer,
                observed(printer, List.of()),
                new PrinterStatus.Applied(camera, pod(printer, "none"), Optional.empty()),
                T0);

        assertThat(camera.noneFoundNow()).isTrue();
        assertThat(status.getCamera()).isEqualTo("none");
        assertThat(condition(status, "CameraDetected").getReason()).isEqualTo("NoCameraFound");
        assertThat(condition(status, "PrinterReachable")).satisfies(reachable -> {
            assertThat(reachable.getStatus()).isEqualTo("False");
            assertThat(reachable.getMessage()).contains("connection refused");
        });
    }

    @Test
    void theProxysReportOfAFailingPrinterConnectionOverridesWhatTheProbeSaw() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.CHAMBER);
        ProxyStatusReader.Report failing = new ProxyStatusReader.Report(
                Map.of("mqtt", 0), Optional.of(false), "mqtt: connect timed out", Map.of());

        BambuPrinterStatus status = PrinterStatus.of(
                printer,
                observed(printer, List.of(), List.of(runningPod("10.0.0.7")), Optional.of(failing)),
                applied(printer, deployment(4, 4)),
                T0);

        assertThat(condition(status, "PrinterReachable")).satisfies(reachable -> {
            assertThat(reachable.getReason()).isEqualTo("PrinterUnreachable");
            assertThat(reachable.getMessage()).isEqualTo("mqtt: connect timed out");
        });
    }

    private static BambuPrinter printer(BambuPrinterSpec.Camera camera) {
        BambuPrinter printer = Printers.printer(NS, "p1s", "192.168.1.42");
        printer.setMetadata(new ObjectMetaBuilder(printer.getMetadata())
                .withGeneration(3L)
                .withUid("uid-p1s")
                .build());
        printer.getSpec().setCamera(camera);
        return printer;
    }

    private static Observed observed(BambuPrinter printer, List<Secret> secrets) {
        return observed(printer, secrets, List.of(), Optional.empty());
    }

    private static Observed observed(
            BambuPrinter printer, List<Secret> secrets, List<Pod> pods, Optional<ProxyStatusReader.Report> report) {
        return new Observed(
                NS,
                "p1s",
                Optional.of(printer),
                secrets.stream().collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                pods,
                Optional.empty(),
                report);
    }

    private static PrinterStatus.Applied applied(BambuPrinter printer, Deployment deployment) {
        return new PrinterStatus.Applied(
                CameraChoice.of(printer, Optional.empty()), pod(printer, "chamber"), Optional.of(deployment));
    }

    private static ProxyPod pod(BambuPrinter printer, String camera) {
        return new ProxyPod(printer, camera, IMAGES, "", Optional.empty());
    }

    private static Pod runningPod(String nodeAddress) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("pandaproxy-p1s-0")
                .endMetadata()
                .withNewStatus()
                .withPodIP(nodeAddress)
                .withHostIP(nodeAddress)
                .endStatus()
                .build();
    }

    /** A Deployment at {@code generation} whose controller has seen {@code observed}, its one pod available. */
    private static Deployment deployment(long generation, long observed) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withGeneration(generation)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withReplicas(1)
                .withUpdatedReplicas(1)
                .withAvailableReplicas(1)
                .endStatus()
                .build();
    }

    private static Condition condition(BambuPrinterStatus status, String type) {
        return PrinterStatus.condition(status, type).orElseThrow(() -> new AssertionError("no condition " + type));
    }
}
