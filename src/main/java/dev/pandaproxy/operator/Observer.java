package dev.pandaproxy.operator;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds a printer's {@link Observed} from the informers' caches and the probes' stores: the only place a reconcile's
 * knowledge comes from. The operator's own objects are found by their owner reference to the printer (its uid, so a
 * printer deleted and made again under the same name does not adopt the old one's objects on their way out), the
 * user's Secrets by the names the spec gives, the proxy pods by their printer label.
 */
final class Observer {
    /** The label every proxy pod carries with its printer's name. */
    static final String INSTANCE = "app.kubernetes.io/instance";

    private final SharedIndexInformer<BambuPrinter> printers;
    private final SharedIndexInformer<Secret> secrets;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final CameraProbes cameraProbes;
    private final ProxyReports proxyReports;

    Observer(
            SharedIndexInformer<BambuPrinter> printers,
            SharedIndexInformer<Secret> secrets,
            SharedIndexInformer<ConfigMap> configMaps,
            SharedIndexInformer<Deployment> deployments,
            SharedIndexInformer<Service> services,
            SharedIndexInformer<Pod> pods,
            CameraProbes cameraProbes,
            ProxyReports proxyReports) {
        this.printers = printers;
        this.secrets = secrets;
        this.configMaps = configMaps;
        this.deployments = deployments;
        this.services = services;
        this.pods = pods;
        this.cameraProbes = cameraProbes;
        this.proxyReports = proxyReports;
    }

    Observed observe(String namespace, String name) {
        String key = namespace + "/" + name;
        BambuPrinter printer = printers.getStore().getByKey(key);
        if (printer == null) {
            return Observed.gone(namespace, name);
        }
        String uid = printer.getMetadata().getUid();
        Map<String, Secret> known = new LinkedHashMap<>();
        owned(secrets, namespace, uid)
                .forEach(secret -> known.put(secret.getMetadata().getName(), secret));
        referencedSecrets(printer.getSpec())
                .forEach(referenced -> Optional.ofNullable(secrets.getStore().getByKey(namespace + "/" + referenced))
                        .ifPresent(secret -> known.put(referenced, secret)));
        long generation = Objects.requireNonNullElse(printer.getMetadata().getGeneration(), 0L);
        return new Observed(
                namespace,
                name,
                Optional.of(printer),
                known,
                owned(configMaps, namespace, uid).findFirst(),
                owned(deployments, namespace, uid).findFirst(),
                owned(services, namespace, uid).findFirst(),
                pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                        .filter(pod -> pod.getMetadata().getLabels() != null
                                && name.equals(pod.getMetadata().getLabels().get(INSTANCE)))
                        .toList(),
                cameraProbes.finished(key, generation),
                proxyReports.last(key));
    }

    /** The names of the Secrets a printer's spec names: its access code, printer CA and server certificate. */
    static List<String> referencedSecrets(BambuPrinterSpec spec) {
        return Stream.of(
                        spec.getAccessCodeSecret() == null
                                ? null
                                : spec.getAccessCodeSecret().getName(),
                        spec.getTrust() == null || spec.getTrust().getCaSecret() == null
                                ? null
                                : spec.getTrust().getCaSecret().getName(),
                        spec.getServerCertificateSecret())
                .filter(Objects::nonNull)
                .toList();
    }

    private static <T extends HasMetadata> Stream<T> owned(
            SharedIndexInformer<T> informer, String namespace, String uid) {
        return informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(object -> object.getMetadata().getOwnerReferences().stream()
                        .anyMatch(owner ->
                                owner.getKind().equals("BambuPrinter") && uid != null && uid.equals(owner.getUid())));
    }
}
