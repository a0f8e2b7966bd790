package dev.pandaproxy.operator;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.operator.desired.DesiredConfigMap;
import dev.pandaproxy.operator.desired.DesiredDeployment;
import dev.pandaproxy.operator.desired.DesiredIdentity;
import dev.pandaproxy.operator.desired.DesiredMediaMtx;
import dev.pandaproxy.operator.desired.DesiredSecret;
import dev.pandaproxy.operator.desired.DesiredService;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.operator.model.SecretKeyRef;
import dev.pandaproxy.rtsp.CameraDetector;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.ServerIdentity;
import dev.pandaproxy.tls.SubjectNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One printer key → its objects applied and its status written. Level-based: it reads what is, computes what
 * should be, and changes only the difference, so running it again changes nothing.
 */
final class PrinterReconciler {
    private static final System.Logger LOG = System.getLogger(PrinterReconciler.class.getName());

    private final KubernetesClient client;
    private final Applier applier;
    private final ProxyPod.Images images;
    private final CameraProbes probes;
    private final Clock clock;
    private final Duration lookAgain;
    private final ProxyStatusReader proxies;
    private final InstallationCa installationCa;

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
     * @param caNamespace where the installation's CA Secret lives (the operator's own namespace)
     */
    PrinterReconciler(
            KubernetesClient client,
            ProxyPod.Images images,
            CameraProbe probe,
            Clock clock,
            Duration lookAgain,
            ProxyStatusReader proxies,
            String caNamespace) {
        this.installationCa = new InstallationCa(client, caNamespace);
        this.lookAgain = lookAgain;
        this.proxies = proxies;
        this.client = client;
        this.applier = new Applier(client);
        this.images = images;
        this.probes = new CameraProbes(probe);
        this.clock = clock;
    }

    /** Who hears that a printer's camera probe finished: its key is to be reconciled again. */
    void whenProbed(java.util.function.Consumer<String> listener) {
        probes.whenDone(listener);
    }

    /** How long a printer waiting for the user waits before it is looked at again. */
    Duration lookAgain() {
        return lookAgain;
    }

    Outcome reconcile(String namespace, String name) {
        BambuPrinter printer = client.resources(BambuPrinter.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (printer == null) {
            probes.forget(namespace + "/" + name);
            return Outcome.DONE; // deleted: owner references take its objects with it
        }
        BambuPrinterSpec spec = printer.getSpec();
        BambuPrinterStatus before = printer.getStatus() == null ? new BambuPrinterStatus() : printer.getStatus();
        BambuPrinterStatus status = Serialization.clone(before);
        status.setObservedGeneration(printer.getMetadata().getGeneration());

        Optional<String> missing = accessCode(namespace, spec).isEmpty()
                ? Optional.of(missingCodeMessage(namespace, spec))
                : Optional.empty();
        if (missing.isPresent()) {
            setCondition(status, "Ready", false, "AccessCodeSecretMissing", missing.get());
            writeStatus(printer, before, status);
            return Outcome.LOOK_AGAIN;
        }
        Secret code = accessCode(namespace, spec).orElseThrow();

        Outcome outcome = Outcome.DONE;
        Optional<Camera> resolved = resolveCamera(printer, status, code);
        if (resolved.isEmpty()) {
            // the first probe of this printer runs; its result comes back as an event
            setCondition(status, "Ready", false, "ProbingCamera", "probing the printer for its camera (camera: auto)");
            writeStatus(printer, before, status);
            return Outcome.DONE;
        }
        String camera = resolved.get().name();
        if (resolved.get().noneFoundNow()) {
            outcome = Outcome.BACK_OFF;
        }

        ProxyPod named = new ProxyPod(printer, camera, images, "", ingress(namespace, printer));
        Optional<ProxyStatusReader.Report> report = podAddress(named)
                .flatMap(address -> proxies.read(address, spec.getNetwork().getHttpPort()));
        Optional<io.fabric8.kubernetes.api.model.Secret> identity = identity(named, printer, report);
        Optional<Secret> publisher = Optional.empty();
        if (named.rtsp()) {
            applier.createIfMissing(DesiredSecret.of(named, Secret.random(16).revealText()), printer);
            publisher = Optional.of(secretValue(namespace, named.name(), DesiredSecret.PUBLISHER_PASSWORD)
                    .map(Secret::of)
                    .orElseThrow(() -> new IllegalStateException(
                            "Secret " + named.name() + " has no " + DesiredSecret.PUBLISHER_PASSWORD
                                    + " (edited by hand?): delete it to have it made again")));
            applier.apply(DesiredMediaMtx.of(named, code, publisher.get()), printer);
        }
        ProxyPod pod =
                new ProxyPod(printer, camera, images, secretsDigest(named, code, identity, publisher), named.ingress());
        applier.apply(DesiredConfigMap.of(pod), printer);
        applier.apply(DesiredDeployment.of(pod), printer);
        Optional<io.fabric8.kubernetes.api.model.Service> service = DesiredService.of(pod);
        if (service.isPresent()) {
            applier.apply(service.get(), printer);
        } else if (client.services().inNamespace(namespace).withName(pod.name()).get() != null) {
            // back from LoadBalancer to HostNetwork: the Service would hold the printer's ports for nothing
            client.services().inNamespace(namespace).withName(pod.name()).delete();
        }

        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(pod.name())
                .get();
        boolean available = rolledOut(deployment);
        Optional<PodTrouble> trouble = available
                ? Optional.empty()
                : pods(pod).stream()
                        .map(PodTrouble::of)
                        .flatMap(Optional::stream)
                        .findFirst();
        if (available) {
            setCondition(status, "Ready", true, "ProxyRunning", "the proxy pod is ready");
        } else if (trouble.isPresent()) {
            setCondition(
                    status,
                    "Ready",
                    false,
                    trouble.get().reason(),
                    trouble.get().message());
        } else {
            setCondition(status, "Ready", false, "ProxyStarting", "waiting for the proxy pod to become ready");
        }
        status.setCamera(camera);
        status.setEndpoints(endpoints(pod));
        Map<String, Integer> clients =
                report.map(ProxyStatusReader.Report::clients).orElse(Map.of());
        status.setClients(new java.util.LinkedHashMap<>(clients));
        status.setTotalClients(
                clients.values().stream().mapToInt(Integer::intValue).sum());
        report.ifPresent(r -> r.reachable().ifPresent(up -> {
            if (up) {
                setCondition(
                        status, "PrinterReachable", true, "PrinterAnswered", "the proxy is connected to the printer");
            } else {
                setCondition(status, "PrinterReachable", false, "PrinterUnreachable", r.detail());
            }
        }));
        writeStatus(printer, before, status);
        return outcome;
    }

    /**
     * The camera in use and whether a probe just found none (then the printer is looked at again after its backoff).
     *
     * @param name          {@code chamber}, {@code rtsp} or {@code none}
     * @param noneFoundNow  a probe of {@code camera: auto} answered "none" in this reconcile
     */
    private record Camera(String name, boolean noneFoundNow) {}

    /**
     * The camera in use: the spec's choice, the one found for this generation, or, once its probe answered, what the
     * probe found. A changed spec (a new generation: another host, or a P1S swapped for an X1C under the same name) is
     * probed again; while that probe runs, the camera found before stays. Empty while the printer's first probe runs.
     */
    private Optional<Camera> resolveCamera(BambuPrinter printer, BambuPrinterStatus status, Secret code) {
        BambuPrinterSpec spec = printer.getSpec();
        if (spec.getCamera() != BambuPrinterSpec.Camera.AUTO) {
            setCondition(
                    status,
                    "CameraDetected",
                    true,
                    "CameraConfigured",
                    "camera: " + lower(spec.getCamera()) + " (from the spec)");
            return Optional.of(new Camera(lower(spec.getCamera()), false));
        }
        long generation = Objects.requireNonNullElse(printer.getMetadata().getGeneration(), 0L);
        Optional<Condition> detected = condition(status, "CameraDetected")
                .filter(c -> c.getStatus().equals("True"))
                .filter(c -> Objects.equals(c.getObservedGeneration(), generation));
        if (detected.isPresent()
                && status.getCamera() != null
                && !status.getCamera().equals("none")) {
            return Optional.of(new Camera(status.getCamera(), false));
        }
        String key = printer.getMetadata().getNamespace() + "/"
                + printer.getMetadata().getName();
        Optional<CameraDetector.Detection> probed = probes.result(
                key, generation, printer, code, caBundle(printer.getMetadata().getNamespace(), spec));
        if (probed.isEmpty()) {
            return Optional.ofNullable(status.getCamera()).map(before -> new Camera(before, false));
        }
        CameraDetector.Detection detection = probed.get();
        String camera = lower(detection.mode());
        boolean found = !camera.equals("none");
        setCondition(status, "CameraDetected", found, found ? "CameraFound" : "NoCameraFound", detection.detail());
        boolean reachable = found
                || !detection.detail().toLowerCase(Locale.ROOT).contains("refused")
                        && !detection.detail().contains("no answer");
        setCondition(
                status,
                "PrinterReachable",
                reachable,
                reachable ? "PrinterAnswered" : "PrinterUnreachable",
                detection.detail());
        return Optional.of(new Camera(camera, !found));
    }

    /**
     * The printer's identity Secret: the certificate issued from the installation's CA (kept while valid for the
     * printer's serial and addresses, issued again otherwise) and the pins the proxy reported, added to those kept.
     * With the user's own certificate the pod presents that one; the Secret still keeps the pins. Returns the Secret
     * as applied.
     */
    private Optional<io.fabric8.kubernetes.api.model.Secret> identity(
            ProxyPod pod, BambuPrinter printer, Optional<ProxyStatusReader.Report> report) {
        io.fabric8.kubernetes.api.model.Secret existing = client.secrets()
                .inNamespace(pod.namespace())
                .withName(pod.identitySecret())
                .get();
        Map<Integer, String> pins = new TreeMap<>(DesiredIdentity.storedPins(existing));
        // a pin, once kept, is never replaced: a different certificate is the proxy's to refuse
        report.ifPresent(r -> r.pins().forEach(pins::putIfAbsent));
        CertificateAuthority ca = installationCa.get();
        ServerIdentity leaf = ServerIdentity.reuseOrIssue(
                DesiredIdentity.storedIdentity(existing),
                ca,
                pod.spec().getSerial(),
                SubjectNames.forServer(
                        pod.spec().getSerial(),
                        pod.bindAddress(),
                        pod.advertisedAddress().stream().toList()));
        io.fabric8.kubernetes.api.model.Secret desired = DesiredIdentity.of(pod, leaf, ca.certificate(), pins);
        applier.apply(desired, printer);
        return Optional.of(desired);
    }

    /**
     * A digest of every Secret value the pod reads, for its template: a changed access code, printer CA, server
     * certificate or MediaMTX password rolls the pod. The server's private key is part of the input, so the digest (readable by anyone
     * who may read the Deployment) cannot be used to try the 10^8 possible access codes offline.
     */
    private String secretsDigest(
            ProxyPod pod,
            Secret code,
            Optional<io.fabric8.kubernetes.api.model.Secret> identity,
            Optional<Secret> publisher) {
        StringBuilder input = new StringBuilder();
        String namespace = pod.namespace();
        input.append("access-code\n").append(code.revealText()).append('\n');
        publisher.ifPresent(password -> input.append("publisher-password\n")
                .append(password.revealText())
                .append('\n'));
        if (pod.spec().getTrust().getCaSecret() != null) {
            SecretKeyRef ca = pod.spec().getTrust().getCaSecret();
            input.append("printer-ca\n")
                    .append(secretValue(namespace, ca.getName(), DesiredDeployment.caKey(pod.spec()))
                            .orElse(""))
                    .append('\n');
        }
        io.fabric8.kubernetes.api.model.Secret server = pod.spec().getServerCertificateSecret() != null
                ? client.secrets()
                        .inNamespace(namespace)
                        .withName(pod.spec().getServerCertificateSecret())
                        .get()
                : identity.orElse(null);
        for (String key : List.of("tls.crt", "tls.key")) {
            input.append(key)
                    .append('\n')
                    .append(
                            server == null || server.getData() == null
                                    ? ""
                                    : server.getData().getOrDefault(key, ""))
                    .append('\n');
        }
        return DesiredDeployment.digest(input.toString());
    }

    /** The printer's CA bundle, for trust mode ca. */
    private Optional<String> caBundle(String namespace, BambuPrinterSpec spec) {
        if (spec.getTrust().getMode() != BambuPrinterSpec.TrustMode.CA
                || spec.getTrust().getCaSecret() == null) {
            return Optional.empty();
        }
        return secretValue(namespace, spec.getTrust().getCaSecret().getName(), DesiredDeployment.caKey(spec));
    }

    private Optional<String> secretValue(String namespace, String name, String key) {
        io.fabric8.kubernetes.api.model.Secret secret =
                client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(
                    new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
    }

    private Optional<Secret> accessCode(String namespace, BambuPrinterSpec spec) {
        return secretValue(namespace, spec.getAccessCodeSecret().getName(), DesiredDeployment.accessCodeKey(spec))
                .map(text -> Secret.of(text.strip()));
    }

    private String missingCodeMessage(String namespace, BambuPrinterSpec spec) {
        String name = spec.getAccessCodeSecret().getName();
        String key = DesiredDeployment.accessCodeKey(spec);
        io.fabric8.kubernetes.api.model.Secret secret =
                client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return "Secret " + name + " not found in namespace " + namespace
                    + ": create it with the printer's access code under key " + key + " (kubectl create secret generic "
                    + name + " --from-literal=" + key + "=<code>)";
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

    /**
     * Whether the Deployment runs what was last applied, ready: its controller has seen the current generation (until
     * then its status describes the previous pod template), and the one replica is updated and available. A pod of the
     * previous spec that still answers is not "ready" for the new one.
     */
    static boolean rolledOut(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null) {
            return false;
        }
        var rollout = deployment.getStatus();
        return Objects.requireNonNullElse(rollout.getObservedGeneration(), 0L)
                        >= Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 1L)
                && Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getAvailableReplicas(), 0) >= 1
                && Objects.requireNonNullElse(rollout.getReplicas(), 0)
                        <= Objects.requireNonNullElse(rollout.getUpdatedReplicas(), 0);
    }

    /** The address the load balancer assigned to the printer's Service, once it did (LoadBalancer mode). */
    private Optional<String> ingress(String namespace, BambuPrinter printer) {
        if (printer.getSpec().getNetwork().getMode() != BambuPrinterSpec.NetworkMode.LOAD_BALANCER) {
            return Optional.empty();
        }
        io.fabric8.kubernetes.api.model.Service service = client.services()
                .inNamespace(namespace)
                .withName("pandaproxy-" + printer.getMetadata().getName())
                .get();
        return Optional.ofNullable(service)
                .map(io.fabric8.kubernetes.api.model.Service::getStatus)
                .map(s -> s.getLoadBalancer())
                .map(lb -> lb.getIngress())
                .filter(ingress -> !ingress.isEmpty())
                .map(ingress -> ingress.getFirst().getIp())
                .filter(ip -> !ip.isBlank());
    }

    /** Where clients connect: the node's address (HostNetwork) or the load balancer's; none while unknown. */
    private List<String> endpoints(ProxyPod pod) {
        Optional<String> address;
        if (pod.hostNetwork()) {
            address = pod.bindAddress().equals("0.0.0.0")
                    ? runningPod(pod).map(p -> p.getStatus().getHostIP())
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

    /** The address the operator reaches the proxy pod's HTTP port at: its own, or the node address it is bound to. */
    private Optional<String> podAddress(ProxyPod pod) {
        return runningPod(pod)
                .map(p -> pod.bindAddress().equals("0.0.0.0") ? p.getStatus().getPodIP() : pod.bindAddress());
    }

    private List<io.fabric8.kubernetes.api.model.Pod> pods(ProxyPod pod) {
        return client.pods()
                .inNamespace(pod.namespace())
                .withLabels(pod.labels())
                .list()
                .getItems();
    }

    private Optional<io.fabric8.kubernetes.api.model.Pod> runningPod(ProxyPod pod) {
        return pods(pod).stream()
                .filter(p -> p.getStatus() != null
                        && p.getStatus().getPodIP() != null
                        && p.getStatus().getHostIP() != null)
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
        // the whole status, computed from a fresh read; a concurrent change fails on the resource version and is
        // retried
        client.resources(BambuPrinter.class)
                .inNamespace(printer.getMetadata().getNamespace())
                .resource(patch)
                .updateStatus();
        Optional<Condition> was = condition(before, "Ready");
        Optional<Condition> now = condition(after, "Ready");
        if (now.isPresent()
                && (was.isEmpty() || !was.get().getReason().equals(now.get().getReason()))) {
            event(printer, now.get());
        }
    }

    private void event(BambuPrinter printer, Condition ready) {
        String namespace = printer.getMetadata().getNamespace();
        LOG.log(
                Level.INFO,
                "operator: {0}/{1} {2}: {3}",
                namespace,
                printer.getMetadata().getName(),
                ready.getReason(),
                ready.getMessage());
        client.v1()
                .events()
                .inNamespace(namespace)
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withGenerateName(printer.getMetadata().getName() + "-")
                        .withNamespace(namespace)
                        .endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder()
                                .withApiVersion(printer.getApiVersion())
                                .withKind(printer.getKind())
                                .withName(printer.getMetadata().getName())
                                .withNamespace(namespace)
                                .withUid(printer.getMetadata().getUid())
                                .build())
                        .withType(ready.getStatus().equals("True") ? "Normal" : "Warning")
                        .withReason(ready.getReason())
                        .withMessage(ready.getMessage())
                        .withFirstTimestamp(clock.instant().toString())
                        .withLastTimestamp(clock.instant().toString())
                        .withCount(1)
                        .withNewSource()
                        .withComponent(Applier.FIELD_MANAGER)
                        .endSource()
                        .build())
                .create();
    }

    /** Sets a condition, keeping its transition time when its status did not change. */
    private void setCondition(BambuPrinterStatus status, String type, boolean value, String reason, String message) {
        String text = value ? "True" : "False";
        Optional<Condition> old = condition(status, type);
        String since = old.filter(c -> c.getStatus().equals(text))
                .map(Condition::getLastTransitionTime)
                .orElse(clock.instant()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
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
        conditions.sort(java.util.Comparator.comparing(Condition::getType));
        status.setConditions(conditions);
    }

    private static Optional<Condition> condition(BambuPrinterStatus status, String type) {
        return status.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
