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
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.ServerIdentity;
import dev.pandaproxy.tls.SubjectNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One printer, as observed, → its objects applied and its status written. Level-based: it gets what is (an
 * {@link Observed}, read from caches before it starts), computes what should be (the {@code desired} objects, the
 * camera choice, the status, all pure functions), and changes only the difference, so running it again changes
 * nothing. Slow work (a camera probe, asking the proxy pod) is only started or pointed at from here; its results come
 * back as events and a new observation.
 */
final class PrinterReconciler {
    private static final System.Logger LOG = System.getLogger(PrinterReconciler.class.getName());

    private final KubernetesClient client;
    private final Applier applier;
    private final ProxyPod.Images images;
    private final CameraProbes cameraProbes;
    private final ProxyReports proxyReports;
    private final Clock clock;
    private final Duration lookAgain;
    private final InstallationCa installationCa;

    /** What a reconcile asks of the queue. */
    enum Outcome {
        /** Nothing until something changes. */
        DONE,
        /** Waiting for the user (a Secret): look again after {@link #lookAgain()}. */
        LOOK_AGAIN,
        /**
         * Waiting for the printer (no camera answered yet), or for the cache to catch up with a write: look again
         * after the key's growing backoff.
         */
        BACK_OFF
    }

    /**
     * @param lookAgain   how soon a printer waiting for its Secret, or for a camera to answer, is looked at again
     * @param proxies     reads the proxy pods' /status
     * @param askProxiesEvery how often each proxy pod is asked ({@link ProxyReports#EVERY})
     * @param caNamespace where the installation's CA Secret lives (the operator's own namespace)
     */
    PrinterReconciler(
            KubernetesClient client,
            ProxyPod.Images images,
            CameraProbe probe,
            Clock clock,
            Duration lookAgain,
            ProxyStatusReader proxies,
            Duration askProxiesEvery,
            String caNamespace) {
        this.installationCa = new InstallationCa(client, caNamespace);
        this.lookAgain = lookAgain;
        this.proxyReports = new ProxyReports(proxies, askProxiesEvery);
        this.client = client;
        this.applier = new Applier(client);
        this.images = images;
        this.cameraProbes = new CameraProbes(probe);
        this.clock = clock;
    }

    /** The camera probes this reconciler starts: the controller hears their results and observes them. */
    CameraProbes cameraProbes() {
        return cameraProbes;
    }

    /** The proxy pods' reports this reconciler points at their pods: the controller hears and observes them. */
    ProxyReports proxyReports() {
        return proxyReports;
    }

    /** The installation's CA: the controller follows its Secret. */
    InstallationCa installationCa() {
        return installationCa;
    }

    /** How long a printer waiting for the user waits before it is looked at again. */
    Duration lookAgain() {
        return lookAgain;
    }

    Outcome reconcile(Observed observed) {
        if (observed.printer().isEmpty()) {
            cameraProbes.forget(observed.key());
            proxyReports.forget(observed.key());
            return Outcome.DONE; // deleted: owner references take its objects with it
        }
        BambuPrinter printer = observed.printer().get();
        BambuPrinterSpec spec = printer.getSpec();
        Optional<Secret> code = observed.secretValue(
                        spec.getAccessCodeSecret().getName(), DesiredDeployment.accessCodeKey(spec))
                .map(text -> Secret.of(text.strip()));
        if (code.isEmpty()) {
            return writeStatus(printer, observed, new PrinterStatus.WaitingForAccessCode())
                    ? Outcome.LOOK_AGAIN
                    : Outcome.BACK_OFF;
        }

        CameraChoice camera = CameraChoice.of(printer, observed.cameraProbe());
        if (camera.probe()) {
            // its result comes back as an event
            cameraProbes.start(
                    observed.key(),
                    Objects.requireNonNullElse(printer.getMetadata().getGeneration(), 0L),
                    printer,
                    code.get(),
                    caBundle(observed, spec));
        }
        if (camera.name().isEmpty()) {
            return writeStatus(printer, observed, new PrinterStatus.WaitingForCamera())
                    ? Outcome.DONE
                    : Outcome.BACK_OFF;
        }

        ProxyPod named = new ProxyPod(printer, camera.name().get(), images, "", observed.ingress());
        Map<String, String> identity = identity(named, printer, observed);
        Optional<Secret> publisher = Optional.empty();
        if (named.rtsp()) {
            var generated = applier.createIfMissing(
                    DesiredSecret.of(named, Secret.random(16).revealText()),
                    printer,
                    observed.live(DesiredSecret.of(named, "")));
            publisher = Optional.of(Observed.decoded(generated, DesiredSecret.PUBLISHER_PASSWORD)
                    .map(Secret::of)
                    .orElseThrow(() -> new IllegalStateException(
                            "Secret " + named.name() + " has no " + DesiredSecret.PUBLISHER_PASSWORD
                                    + " (edited by hand?): delete it to have it made again")));
            apply(DesiredMediaMtx.of(named, code.get(), publisher.get()), printer, observed);
        }
        ProxyPod pod = new ProxyPod(
                printer,
                camera.name().get(),
                images,
                secretsDigest(named, observed, code.get(), identity, publisher),
                named.ingress());
        apply(DesiredConfigMap.of(pod), printer, observed);
        Deployment deployment = apply(DesiredDeployment.of(pod), printer, observed);
        Optional<Service> service = DesiredService.of(pod);
        if (service.isPresent()) {
            apply(service.get(), printer, observed);
        } else if (observed.service().isPresent()) {
            // back from LoadBalancer to HostNetwork: the Service would hold the printer's ports for nothing
            client.services()
                    .inNamespace(observed.namespace())
                    .withName(observed.service().get().getMetadata().getName())
                    .delete();
        }
        proxyReports.follow(
                observed.key(),
                podAddress(pod, observed)
                        .map(address ->
                                new ProxyReports.Pod(address, spec.getNetwork().getHttpPort())));

        boolean written =
                writeStatus(printer, observed, new PrinterStatus.Applied(camera, pod, Optional.ofNullable(deployment)));
        if (!written) {
            return Outcome.BACK_OFF;
        }
        if (camera.noneFoundNow()) {
            // acted on: the next look, after the key's backoff, probes again
            cameraProbes.used(
                    observed.key(),
                    Objects.requireNonNullElse(printer.getMetadata().getGeneration(), 0L));
            return Outcome.BACK_OFF;
        }
        return Outcome.DONE;
    }

    private <T extends HasMetadata> T apply(T desired, BambuPrinter printer, Observed observed) {
        return applier.apply(desired, printer, observed.live(desired));
    }

    /**
     * The printer's identity Secret: the certificate issued from the installation's CA (kept while valid for the
     * printer's serial and addresses, issued again otherwise) and the pins the proxy reported, added to those kept.
     * With the user's own certificate the pod presents that one; the Secret still keeps the pins. Returns the Secret's
     * data as applied.
     */
    private Map<String, String> identity(ProxyPod pod, BambuPrinter printer, Observed observed) {
        var existing = observed.secret(pod.identitySecret()).orElse(null);
        Map<Integer, String> pins = new TreeMap<>(DesiredIdentity.storedPins(existing));
        // a pin, once kept, is never replaced: a different certificate is the proxy's to refuse
        observed.proxyReport().ifPresent(r -> r.pins().forEach(pins::putIfAbsent));
        CertificateAuthority ca = installationCa.get();
        ServerIdentity leaf = ServerIdentity.reuseOrIssue(
                DesiredIdentity.storedIdentity(existing),
                ca,
                pod.spec().getSerial(),
                SubjectNames.forServer(
                        pod.spec().getSerial(),
                        pod.bindAddress(),
                        pod.advertisedAddress().stream().toList()));
        var desired = DesiredIdentity.of(pod, leaf, ca.certificate(), pins);
        apply(desired, printer, observed);
        return desired.getData();
    }

    /**
     * A digest of every Secret value the pod reads, for its template: a changed access code, printer CA, server
     * certificate or MediaMTX password rolls the pod. The server's private key is part of the input, so the digest
     * (readable by anyone who may read the Deployment) cannot be used to try the 10^8 possible access codes offline.
     */
    private static String secretsDigest(
            ProxyPod pod, Observed observed, Secret code, Map<String, String> identity, Optional<Secret> publisher) {
        StringBuilder input = new StringBuilder();
        input.append("access-code\n").append(code.revealText()).append('\n');
        publisher.ifPresent(password -> input.append("publisher-password\n")
                .append(password.revealText())
                .append('\n'));
        if (pod.spec().getTrust().getCaSecret() != null) {
            input.append("printer-ca\n")
                    .append(observed.secretValue(
                                    pod.spec().getTrust().getCaSecret().getName(), DesiredDeployment.caKey(pod.spec()))
                            .orElse(""))
                    .append('\n');
        }
        // the certificate's Secret as stored (base64): what the pod mounts
        Map<String, String> server = pod.spec().getServerCertificateSecret() != null
                ? observed.secret(pod.spec().getServerCertificateSecret())
                        .map(secret -> secret.getData())
                        .orElse(null)
                : identity;
        for (String key : List.of("tls.crt", "tls.key")) {
            input.append(key)
                    .append('\n')
                    .append(server == null ? "" : server.getOrDefault(key, ""))
                    .append('\n');
        }
        return DesiredDeployment.digest(input.toString());
    }

    /** The printer's CA bundle, for trust mode ca. */
    private static Optional<String> caBundle(Observed observed, BambuPrinterSpec spec) {
        if (spec.getTrust().getMode() != BambuPrinterSpec.TrustMode.CA
                || spec.getTrust().getCaSecret() == null) {
            return Optional.empty();
        }
        return observed.secretValue(spec.getTrust().getCaSecret().getName(), DesiredDeployment.caKey(spec));
    }

    /** The address the operator reaches the proxy pod's HTTP port at: its own, or the node address it is bound to. */
    private static Optional<String> podAddress(ProxyPod pod, Observed observed) {
        return observed.runningPod()
                .map(p -> pod.bindAddress().equals("0.0.0.0") ? p.getStatus().getPodIP() : pod.bindAddress());
    }

    /**
     * Writes the status {@code step} leads to, only when it changed, and announces a Ready transition as an Event.
     * Returns false when the printer changed since it was observed (the cache was behind the API server): the
     * reconcile is then run again on a fresher observation.
     */
    private boolean writeStatus(BambuPrinter printer, Observed observed, PrinterStatus.Step step) {
        BambuPrinterStatus before = printer.getStatus() == null ? new BambuPrinterStatus() : printer.getStatus();
        BambuPrinterStatus after = PrinterStatus.of(printer, observed, step, clock.instant());
        if (Serialization.asJson(before).equals(Serialization.asJson(after))) {
            return true;
        }
        BambuPrinter patch = new BambuPrinter();
        patch.setMetadata(printer.getMetadata());
        patch.setSpec(printer.getSpec());
        patch.setStatus(after);
        try {
            // the whole status, computed from the observed printer: its resourceVersion makes a write over a newer
            // printer fail instead of undoing what changed
            client.resources(BambuPrinter.class)
                    .inNamespace(printer.getMetadata().getNamespace())
                    .resource(patch)
                    .updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            LOG.log(
                    Level.DEBUG,
                    "operator: {0}: the printer changed since it was observed; looking again",
                    observed.key());
            return false;
        }
        Optional<Condition> was = PrinterStatus.condition(before, "Ready");
        Optional<Condition> now = PrinterStatus.condition(after, "Ready");
        if (now.isPresent()
                && (was.isEmpty() || !was.get().getReason().equals(now.get().getReason()))) {
            event(printer, now.get());
        }
        return true;
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
}
