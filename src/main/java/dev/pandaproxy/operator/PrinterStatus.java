package dev.pandaproxy.operator;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.operator.desired.DesiredDeployment;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A printer's status as a pure function of what was observed and what the reconcile did, like the desired objects
 * are of the spec: no API server, no clock of its own (the time a condition changes is given), so it is tested
 * without either. Conditions keep their transition time while their status stays.
 */
final class PrinterStatus {
    private PrinterStatus() {}

    /** How far a reconcile got. */
    sealed interface Step {}

    /** The access code's Secret, or its key, is missing: nothing else was done. */
    record WaitingForAccessCode() implements Step {}

    /** The printer's first camera probe runs: nothing was applied yet. */
    record WaitingForCamera() implements Step {}

    /**
     * The proxy's objects were applied.
     *
     * @param camera     the camera chosen
     * @param pod        the pod applied
     * @param deployment the Deployment as applied (its generation) with the rollout status the API server has
     */
    record Applied(CameraChoice camera, ProxyPod pod, Optional<Deployment> deployment) implements Step {}

    /** The status for {@code step}, from the one the printer had when observed; {@code now} dates changed conditions. */
    static BambuPrinterStatus of(BambuPrinter printer, Observed observed, Step step, Instant now) {
        BambuPrinterStatus status =
                printer.getStatus() == null ? new BambuPrinterStatus() : Serialization.clone(printer.getStatus());
        status.setObservedGeneration(printer.getMetadata().getGeneration());
        switch (step) {
            case WaitingForAccessCode waiting ->
                set(status, now, "Ready", false, "AccessCodeSecretMissing", missingCodeMessage(printer, observed));
            case WaitingForCamera waiting ->
                set(status, now, "Ready", false, "ProbingCamera", "probing the printer for its camera (camera: auto)");
            case Applied applied -> applied(status, observed, applied, now);
        }
        return status;
    }

    private static void applied(BambuPrinterStatus status, Observed observed, Applied applied, Instant now) {
        ProxyPod pod = applied.pod();
        CameraChoice camera = applied.camera();
        if (camera.fromSpec()) {
            set(
                    status,
                    now,
                    "CameraDetected",
                    true,
                    "CameraConfigured",
                    "camera: " + camera.name().orElseThrow() + " (from the spec)");
        }
        camera.probed().ifPresent(detection -> probed(status, now, detection));

        boolean available = applied.deployment().map(PrinterStatus::rolledOut).orElse(false);
        Optional<PodTrouble> trouble = available
                ? Optional.empty()
                : observed.pods().stream()
                        .map(PodTrouble::of)
                        .flatMap(Optional::stream)
                        .findFirst();
        if (available) {
            set(status, now, "Ready", true, "ProxyRunning", "the proxy pod is ready");
        } else if (trouble.isPresent()) {
            set(
                    status,
                    now,
                    "Ready",
                    false,
                    trouble.get().reason(),
                    trouble.get().message());
        } else {
            set(status, now, "Ready", false, "ProxyStarting", "waiting for the proxy pod to become ready");
        }
        status.setCamera(camera.name().orElseThrow());
        status.setEndpoints(endpoints(pod, observed));
        Optional<ProxyStatusReader.Report> report = observed.proxyReport();
        Map<String, Integer> clients =
                report.map(ProxyStatusReader.Report::clients).orElse(Map.of());
        status.setClients(new LinkedHashMap<>(clients));
        status.setTotalClients(
                clients.values().stream().mapToInt(Integer::intValue).sum());
        report.ifPresent(r -> r.reachable().ifPresent(up -> {
            if (up) {
                set(status, now, "PrinterReachable", true, "PrinterAnswered", "the proxy is connected to the printer");
            } else {
                set(status, now, "PrinterReachable", false, "PrinterUnreachable", r.detail());
            }
        }));
    }

    /** What a camera probe found, and whether it says the printer answered at all. */
    private static void probed(BambuPrinterStatus status, Instant now, CameraDetector.Detection detection) {
        boolean found = detection.mode() != CameraConfig.Mode.NONE;
        set(status, now, "CameraDetected", found, found ? "CameraFound" : "NoCameraFound", detection.detail());
        boolean reachable = found
                || !detection.detail().toLowerCase(Locale.ROOT).contains("refused")
                        && !detection.detail().contains("no answer");
        set(
                status,
                now,
                "PrinterReachable",
                reachable,
                reachable ? "PrinterAnswered" : "PrinterUnreachable",
                detection.detail());
    }

    /**
     * Whether the Deployment runs what was last applied, ready: its controller has seen the current generation (until
     * then its status describes the previous pod template), and the one replica is updated and available. A pod of the
     * previous spec that still answers is not "ready" for the new one.
     */
    static boolean rolledOut(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null) {
            return false;
        }
        DeploymentStatus rollout = deployment.getStatus();
        return Objects.requireNonNullElse(rollout.getObservedGeneration(), 0L)
                        >= Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 1L)
                && Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getAvailableReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getReplicas(), 0)
                        <= Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0);
    }

    /** Where clients connect: the node's address (HostNetwork) or the load balancer's; none while unknown. */
    private static List<String> endpoints(ProxyPod pod, Observed observed) {
        Optional<String> address;
        if (pod.hostNetwork()) {
            address = pod.bindAddress().equals("0.0.0.0")
                    ? observed.runningPod().map(p -> p.getStatus().getHostIP())
                    : Optional.of(pod.bindAddress());
        } else {
            address = pod.ingress();
        }
        return address.map(host -> pod.ports().stream()
                        .filter(port -> !port.name().startsWith("ftp-data"))
                        .map(port -> port.name() + "://" + host + ":" + port.port())
                        .toList())
                .orElse(List.of());
    }

    /** Why the access code cannot be read, and how to fix it. */
    private static String missingCodeMessage(BambuPrinter printer, Observed observed) {
        BambuPrinterSpec spec = printer.getSpec();
        String namespace = printer.getMetadata().getNamespace();
        String name = spec.getAccessCodeSecret().getName();
        String key = DesiredDeployment.accessCodeKey(spec);
        if (observed.secret(name).isEmpty()) {
            return "Secret " + name + " not found in namespace " + namespace
                    + ": create it with the printer's access code under key " + key + " (kubectl create secret generic "
                    + name + " --from-literal=" + key + "=<code>)";
        }
        return "Secret " + name + " has no key " + key + " (it has: " + String.join(", ", observed.secretKeys(name))
                + "); set spec.accessCodeSecret.key or add the key";
    }

    /** Sets a condition, keeping its transition time when its status did not change. */
    private static void set(
            BambuPrinterStatus status, Instant now, String type, boolean value, String reason, String message) {
        String text = value ? "True" : "False";
        String since = condition(status, type)
                .filter(c -> c.getStatus().equals(text))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        List<Condition> conditions = new ArrayList<>(status.getConditions().stream()
                .filter(c -> !c.getType().equals(type))
                .toList());
        conditions.add(new ConditionBuilder()
                .withType(type)
                .withStatus(text)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .withObservedGeneration(status.getObservedGeneration())
                .build());
        conditions.sort(Comparator.comparing(Condition::getType));
        status.setConditions(conditions);
    }

    static Optional<Condition> condition(BambuPrinterStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}
