package dev.pandaproxy.operator;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.operator.desired.DesiredConfigMap;
import dev.pandaproxy.operator.desired.DesiredDeployment;
import dev.pandaproxy.operator.desired.DesiredSecret;
import dev.pandaproxy.operator.desired.DesiredService;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One printer key → its objects applied and its status written. Level-based: it reads what is, computes what
 * should be, and changes only the difference, so running it again changes nothing.
 */
final class PrinterReconciler {
    private static final System.Logger LOG = System.getLogger(PrinterReconciler.class.getName());

    private final KubernetesClient client;
    private final Applier applier;
    private final ProxyPod.Images images;
    private final CameraProbe probe;
    private final Clock clock;
    private final Duration lookAgain;
    private final ProxyStatusReader proxies;

    /** What a reconcile asks of the queue. */
    enum Outcome {
        /** Nothing until something changes. */
        DONE,
        /** Waiting for the user (a Secret): look again after {@link #lookAgain()}. */
        LOOK_AGAIN,
        /** Waiting for the printer (no camera answered yet): look again after the key's growing backoff. */
        BACK_OFF
    }

    /**
     * @param lookAgain how soon a printer waiting for its Secret, or for a camera to answer, is looked at again
     * @param proxies   reads the proxy pods' /status
     */
    PrinterReconciler(KubernetesClient client, ProxyPod.Images images, CameraProbe probe, Clock clock, Duration lookAgain,
                      ProxyStatusReader proxies) {
        this.lookAgain = lookAgain;
        this.proxies = proxies;
        this.client = client;
        this.applier = new Applier(client);
        this.images = images;
        this.probe = probe;
        this.clock = clock;
    }

    /** How long a printer waiting for the user waits before it is looked at again. */
    Duration lookAgain() {
        return lookAgain;
    }

    Outcome reconcile(String namespace, String name) {
        BambuPrinter printer = client.resources(BambuPrinter.class).inNamespace(namespace).withName(name).get();
        if (printer == null) {
            return Outcome.DONE; // deleted: owner references take its objects with it
        }
        BambuPrinterSpec spec = printer.getSpec();
        BambuPrinterStatus before = printer.getStatus() == null ? new BambuPrinterStatus() : printer.getStatus();
        BambuPrinterStatus status = Serialization.clone(before);
        status.setObservedGeneration(printer.getMetadata().getGeneration());

        Optional<String> missing = accessCode(namespace, spec).isEmpty() ? Optional.of(missingCodeMessage(namespace, spec)) : Optional.empty();
        if (missing.isPresent()) {
            setCondition(status, "Ready", false, "AccessCodeSecretMissing", missing.get());
            writeStatus(printer, before, status);
            return Outcome.LOOK_AGAIN;
        }
        Secret code = accessCode(namespace, spec).orElseThrow();

        Outcome outcome = Outcome.DONE;
        String camera = resolveCamera(printer, status, code);
        if (camera.equals("none") && spec.getCamera() == BambuPrinterSpec.Camera.AUTO) {
            outcome = Outcome.BACK_OFF;
        }

        ProxyPod pod = new ProxyPod(printer, camera, images);
        applier.apply(DesiredConfigMap.of(pod), printer);
        if (pod.rtsp()) {
            applier.createIfMissing(DesiredSecret.of(pod, HexFormat.of().formatHex(random(16))), printer);
        }
        applier.apply(DesiredDeployment.of(pod), printer);
        Optional<io.fabric8.kubernetes.api.model.Service> service = DesiredService.of(pod);
        if (service.isPresent()) {
            applier.apply(service.get(), printer);
        } else if (client.services().inNamespace(namespace).withName(pod.name()).get() != null) {
            // back from LoadBalancer to HostNetwork: the Service would hold the printer's ports for nothing
            client.services().inNamespace(namespace).withName(pod.name()).delete();
        }

        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(pod.name()).get();
        boolean available = rolledOut(deployment);
        setCondition(status, "Ready", available, available ? "ProxyRunning" : "ProxyStarting",
                available ? "the proxy pod is ready" : "waiting for the proxy pod to become ready");
        status.setCamera(camera);
        status.setEndpoints(endpoints(pod));
        Optional<ProxyStatusReader.Report> report = podAddress(pod).flatMap(proxies::read);
        Map<String, Integer> clients = report.map(ProxyStatusReader.Report::clients).orElse(Map.of());
        status.setClients(new java.util.LinkedHashMap<>(clients));
        status.setTotalClients(clients.values().stream().mapToInt(Integer::intValue).sum());
        report.ifPresent(r -> r.reachable().ifPresent(up -> {
            if (up) {
                setCondition(status, "PrinterReachable", true, "PrinterAnswered", "the proxy is connected to the printer");
            } else {
                setCondition(status, "PrinterReachable", false, "PrinterUnreachable", r.detail());
            }
        }));
        writeStatus(printer, before, status);
        return outcome;
    }

    /**
     * Whether the Deployment runs what was last applied, ready: its controller has seen the current generation (until
     * then its status describes the previous pod template), and the one replica is updated and available.
     */
    static boolean rolledOut(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null) {
            return false;
        }
        var rollout = deployment.getStatus();
        return Objects.requireNonNullElse(rollout.getObservedGeneration(), 0L) >= Objects.requireNonNullElse(
                deployment.getMetadata().getGeneration(), 1L)
                && Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getAvailableReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getReplicas(), 0) <= Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0);
    }

    /** The camera in use: the spec's choice, the one found before for this generation, or a fresh probe. */
    private String resolveCamera(BambuPrinter printer, BambuPrinterStatus status, Secret code) {
        BambuPrinterSpec spec = printer.getSpec();
        if (spec.getCamera() != BambuPrinterSpec.Camera.AUTO) {
            setCondition(status, "CameraDetected", true, "CameraConfigured", "camera: " + lower(spec.getCamera()) + " (from the spec)");
            return lower(spec.getCamera());
        }
        Optional<Condition> detected = condition(status, "CameraDetected").filter(c -> c.getStatus().equals("True"));
        if (detected.isPresent() && status.getCamera() != null && !status.getCamera().equals("none")) {
            return status.getCamera();
        }
        CameraDetector.Detection detection = probe.detect(printer, code, caBundle(printer.getMetadata().getNamespace(), spec));
        String camera = lower(detection.mode());
        boolean found = !camera.equals("none");
        setCondition(status, "CameraDetected", found, found ? "CameraFound" : "NoCameraFound", detection.detail());
        boolean reachable = found || !detection.detail().toLowerCase(Locale.ROOT).contains("refused")
                && !detection.detail().contains("no answer");
        setCondition(status, "PrinterReachable", reachable, reachable ? "PrinterAnswered" : "PrinterUnreachable",
                detection.detail());
        return camera;
    }

    private Optional<Secret> accessCode(String namespace, BambuPrinterSpec spec) {
        return secretText(namespace, spec.getAccessCodeSecret().getName(), DesiredDeployment.accessCodeKey(spec))
                .map(code -> Secret.of(code.strip()));
    }

    /** The printer's CA bundle, for trust mode ca. */
    private Optional<String> caBundle(String namespace, BambuPrinterSpec spec) {
        if (spec.getTrust().getMode() != BambuPrinterSpec.TrustMode.CA || spec.getTrust().getCaSecret() == null) {
            return Optional.empty();
        }
        return secretText(namespace, spec.getTrust().getCaSecret().getName(), DesiredDeployment.caKey(spec));
    }

    private Optional<String> secretText(String namespace, String name, String key) {
        io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
    }

    private String missingCodeMessage(String namespace, BambuPrinterSpec spec) {
        String name = spec.getAccessCodeSecret().getName();
        String key = DesiredDeployment.accessCodeKey(spec);
        io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return "Secret " + name + " not found in namespace " + namespace + ": create it with the printer's access code under key "
                    + key + " (kubectl create secret generic " + name + " --from-literal=" + key + "=<code>)";
        }
        List<String> keys = new ArrayList<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return "Secret " + name + " has no key " + key + " (it has: " + String.join(", ", keys)
                + "); set spec.accessCodeSecret.key or add the key";
    }

    /** Where clients connect: the node's address (HostNetwork) or the load balancer's; none while unknown. */
    private List<String> endpoints(ProxyPod pod) {
        Optional<String> address;
        if (pod.hostNetwork()) {
            address = runningPod(pod).map(p -> p.getStatus().getHostIP());
        } else {
            io.fabric8.kubernetes.api.model.Service service = client.services().inNamespace(pod.namespace()).withName(pod.name()).get();
            address = Optional.ofNullable(service).map(io.fabric8.kubernetes.api.model.Service::getStatus)
                    .map(s -> s.getLoadBalancer()).map(lb -> lb.getIngress()).filter(ingress -> !ingress.isEmpty())
                    .map(ingress -> ingress.getFirst().getIp());
        }
        return address.map(host -> pod.ports().stream().filter(port -> !port.loopback() && !port.name().startsWith("ftp-data"))
                .map(port -> port.name() + "://" + host + ":" + port.port()).toList()).orElse(List.of());
    }

    /** The address the operator reaches the proxy pod's HTTP port at. */
    private Optional<String> podAddress(ProxyPod pod) {
        return runningPod(pod).map(p -> p.getStatus().getPodIP());
    }

    private Optional<io.fabric8.kubernetes.api.model.Pod> runningPod(ProxyPod pod) {
        return client.pods().inNamespace(pod.namespace()).withLabels(pod.labels()).list().getItems().stream()
                .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null && p.getStatus().getHostIP() != null)
                .findFirst();
    }

    /** Status is written only when it changed, and a Ready transition is announced as an Event. */
    private void writeStatus(BambuPrinter printer, BambuPrinterStatus before, BambuPrinterStatus after) {
        if (Serialization.asJson(before).equals(Serialization.asJson(after))) {
            return;
        }
        BambuPrinter patch = new BambuPrinter();
        patch.setMetadata(printer.getMetadata());
        patch.setSpec(printer.getSpec());
        patch.setStatus(after);
        // the whole status, computed from a fresh read; a concurrent change fails on the resource version and is retried
        client.resources(BambuPrinter.class).inNamespace(printer.getMetadata().getNamespace()).resource(patch).updateStatus();
        Optional<Condition> was = condition(before, "Ready");
        Optional<Condition> now = condition(after, "Ready");
        if (now.isPresent() && (was.isEmpty() || !was.get().getReason().equals(now.get().getReason()))) {
            event(printer, now.get());
        }
    }

    private void event(BambuPrinter printer, Condition ready) {
        String namespace = printer.getMetadata().getNamespace();
        LOG.log(Level.INFO, "operator: {0}/{1} {2}: {3}", namespace, printer.getMetadata().getName(), ready.getReason(),
                ready.getMessage());
        client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(printer.getMetadata().getName() + "-").withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(printer.getApiVersion()).withKind(printer.getKind())
                        .withName(printer.getMetadata().getName()).withNamespace(namespace).withUid(printer.getMetadata().getUid()).build())
                .withType(ready.getStatus().equals("True") ? "Normal" : "Warning")
                .withReason(ready.getReason())
                .withMessage(ready.getMessage())
                .withFirstTimestamp(clock.instant().toString())
                .withLastTimestamp(clock.instant().toString())
                .withCount(1)
                .withNewSource().withComponent(Applier.FIELD_MANAGER).endSource()
                .build()).create();
    }

    /** Sets a condition, keeping its transition time when its status did not change. */
    private void setCondition(BambuPrinterStatus status, String type, boolean value, String reason, String message) {
        String text = value ? "True" : "False";
        Optional<Condition> old = condition(status, type);
        String since = old.filter(c -> c.getStatus().equals(text)).map(Condition::getLastTransitionTime)
                .orElse(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        List<Condition> conditions = new ArrayList<>(status.getConditions().stream().filter(c -> !c.getType().equals(type)).toList());
        conditions.add(new ConditionBuilder().withType(type).withStatus(text).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(status.getObservedGeneration()).build());
        conditions.sort(java.util.Comparator.comparing(Condition::getType));
        status.setConditions(conditions);
    }

    private static Optional<Condition> condition(BambuPrinterStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
