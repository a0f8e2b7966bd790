package dev.pandaproxy.operator;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile knows of one printer, read before it decides anything: the objects from the informers'
 * caches, the slow probes' results from their in-memory stores. Nothing here is read from the API server or the
 * network while the reconcile runs; what changes later arrives as an event and a new observation.
 *
 * @param namespace   the printer's namespace
 * @param name        the printer's name
 * @param printer     the resource; empty once it was deleted
 * @param secrets     by name: the Secrets its spec names (access code, printer CA, server certificate) and those the
 *                    operator keeps for it (identity, publisher password, MediaMTX); a missing one is absent
 * @param configMap   its proxy's ConfigMap, as the operator left it (or someone after)
 * @param deployment  its proxy's Deployment, with the Deployment controller's rollout status
 * @param service     its proxy's Service (LoadBalancer mode), with the load balancer's address once assigned
 * @param pods        its proxy pods
 * @param cameraProbe the finished camera probe of the spec's current generation ({@code camera: auto}), if any
 * @param proxyReport what its proxy pod last said of itself ({@code /status}), while it answers
 */
record Observed(
        String namespace,
        String name,
        Optional<BambuPrinter> printer,
        Map<String, Secret> secrets,
        Optional<ConfigMap> configMap,
        Optional<Deployment> deployment,
        Optional<Service> service,
        List<Pod> pods,
        Optional<CameraDetector.Detection> cameraProbe,
        Optional<ProxyStatusReader.Report> proxyReport) {

    /** What is known of a printer that was deleted. */
    static Observed gone(String namespace, String name) {
        return new Observed(
                namespace,
                name,
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** The printer's queue key, {@code namespace/name}. */
    String key() {
        return namespace + "/" + name;
    }

    /** The live object an applied one would replace (same kind and name), as observed. */
    Optional<HasMetadata> live(HasMetadata desired) {
        String wanted = desired.getMetadata().getName();
        Optional<? extends HasMetadata> live = switch (desired) {
            case Secret secret -> secret(wanted);
            case ConfigMap config -> configMap;
            case Deployment deployment -> this.deployment;
            case Service service -> this.service;
            default -> throw new IllegalArgumentException("not observed: " + desired.getKind());
        };
        return live.filter(object -> object.getMetadata().getName().equals(wanted))
                .map(HasMetadata.class::cast);
    }

    Optional<Secret> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    /** The text under {@code key} of the Secret {@code name} ({@code data}, else {@code stringData}). */
    Optional<String> secretValue(String name, String key) {
        return secret(name).flatMap(secret -> decoded(secret, key));
    }

    /** The text under {@code key} of {@code secret} ({@code data}, else {@code stringData}). */
    static Optional<String> decoded(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return Optional.of(
                    new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
    }

    /** The keys the Secret {@code name} holds, to say which one the spec should name instead. */
    List<String> secretKeys(String name) {
        List<String> keys = new ArrayList<>();
        secret(name).ifPresent(secret -> {
            if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
            }
        });
        return keys;
    }

    /** The address the load balancer assigned to the printer's Service, once it did (LoadBalancer mode). */
    Optional<String> ingress() {
        if (printer.isEmpty()
                || printer.get().getSpec().getNetwork().getMode() != BambuPrinterSpec.NetworkMode.LOAD_BALANCER) {
            return Optional.empty();
        }
        return service.map(Service::getStatus)
                .map(status -> status.getLoadBalancer())
                .map(balancer -> balancer.getIngress())
                .filter(ingress -> !ingress.isEmpty())
                .map(ingress -> ingress.getFirst().getIp())
                .filter(ip -> ip != null && !ip.isBlank());
    }

    /** A proxy pod the scheduler placed and that has its addresses. */
    Optional<Pod> runningPod() {
        return pods.stream()
                .filter(pod -> pod.getStatus() != null
                        && pod.getStatus().getPodIP() != null
                        && pod.getStatus().getHostIP() != null)
                .findFirst();
    }
}
