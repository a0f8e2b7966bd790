package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.operator.model.BambuPrinter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Turns events into printer keys: a BambuPrinter's own changes, changes of the objects it owns (Deployment,
 * ConfigMap, Service, Secret; found by owner reference), so an object edited or deleted by hand is put back, and
 * changes of the Secrets it references (found by name), so a new access code rolls its pod; a camera probe that
 * finished and a proxy pod whose report changed queue their printer too. Workers take keys from the queue, observe the
 * printer from the informers' caches ({@link Observer}) and run the reconciler on that observation; a failure sends
 * the key back after its own backoff.
 */
final class PrinterController implements AutoCloseable {
    /** The type of the Secrets in which Helm keeps each release's history. */
    static final String HELM_RELEASE = "helm.sh/release.v1";

    private static final System.Logger LOG = System.getLogger(PrinterController.class.getName());
    /** Every printer is looked at again this often, whatever happened: level-based, not event-trusting. */
    static final Duration RESYNC = Duration.ofMinutes(5);

    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String OPERATOR = "pandaproxy-operator";

    private final KubernetesClient client;
    private final Optional<String> namespace;
    private final PrinterReconciler reconciler;
    private final WorkQueue queue;
    private final int workers;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<BambuPrinter> printers;
    private volatile Observer observer;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    /**
     * @param namespace the namespace to watch, or every namespace
     * @param workers   keys reconciled at once (one key is never reconciled twice at once)
     */
    PrinterController(
            KubernetesClient client,
            Optional<String> namespace,
            PrinterReconciler reconciler,
            BackoffConfig backoff,
            int workers) {
        this.client = client;
        this.namespace = namespace;
        this.reconciler = reconciler;
        this.queue = new WorkQueue(backoff);
        this.workers = workers;
    }

    /**
     * Starts the informers (returns once they listed what exists) and the workers.
     *
     * @param onFailure told why when an informer stops by itself (its watch refused for good): the controller's view
     *                  of the cluster no longer follows it
     */
    void start(Consumer<String> onFailure) {
        long resync = RESYNC.toMillis();
        // a camera probe's result, and a change in what a proxy pod reports, are events of their own
        reconciler.cameraProbes().whenDone(queue::add);
        reconciler.proxyReports().whenChanged(queue::add);
        printers = inNamespace(client.resources(BambuPrinter.class)).inform(printerHandler(), resync);
        informers.add(printers);
        SharedIndexInformer<Deployment> deployments = inNamespace(client.apps().deployments())
                .withLabel(MANAGED_BY, OPERATOR)
                .inform(handler(this::enqueueOwner), resync);
        informers.add(deployments);
        SharedIndexInformer<ConfigMap> configMaps = inNamespace(client.configMaps())
                .withLabel(MANAGED_BY, OPERATOR)
                .inform(handler(this::enqueueOwner), resync);
        informers.add(configMaps);
        SharedIndexInformer<Service> services = inNamespace(client.services())
                .withLabel(MANAGED_BY, OPERATOR)
                .inform(handler(this::enqueueOwner), resync);
        informers.add(services);
        // proxy pods: a pod that cannot be scheduled, pulled or kept running is reported in its printer's Ready
        SharedIndexInformer<Pod> pods =
                inNamespace(client.pods()).withLabel(MANAGED_BY, OPERATOR).inform(handler(this::podChanged), resync);
        informers.add(pods);
        // every Secret, not only the operator's: a printer's access code, CA bundle and server certificate are the
        // user's. But not Helm's release history (a Secret per revision of every release, tens of KB each), which no
        // printer names and which would otherwise sit in the cache whole
        SharedIndexInformer<Secret> secrets = inNamespace(client.secrets())
                .withoutField("type", HELM_RELEASE)
                .inform(handler(this::secretChanged), resync);
        informers.add(secrets);
        // the installation's CA, in the operator's own namespace
        informers.add(reconciler.installationCa().inform());
        observer = new Observer(
                printers,
                secrets,
                configMaps,
                deployments,
                services,
                pods,
                reconciler.cameraProbes(),
                reconciler.proxyReports());
        for (SharedIndexInformer<?> informer : informers) {
            informer.stopped().whenComplete((ignored, error) -> {
                if (error != null && !closing) {
                    onFailure.accept("an informer stopped: " + error.getMessage());
                }
            });
        }
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name("operator-worker-" + i).start(this::work));
        }
    }

    /** Whether every informer has listed what exists (readiness). */
    boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /**
     * Observes the printer {@code namespace/name} and reconciles it, on the calling thread (a worker's loop; tests).
     */
    PrinterReconciler.Outcome reconcile(String namespace, String name) {
        return reconciler.reconcile(observer.observe(namespace, name));
    }

    /** BambuPrinters in the cache (metrics). */
    int printers() {
        return printers == null ? 0 : printers.getStore().list().size();
    }

    /** Keys waiting (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        closing = true;
        // stop the loops before the informers, so no worker acts on a half-stopped view
        queue.close();
        threads.forEach(Thread::interrupt);
        reconciler.proxyReports().close();
        informers.forEach(SharedIndexInformer::stop);
        // their watches are closed when this returns (bounded: shutdown must not hang on a dead API server)
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.stopped().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.DEBUG, "operator: an informer did not stop cleanly: {0}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            String key;
            try {
                Optional<String> next = queue.take();
                if (next.isEmpty()) {
                    return;
                }
                key = next.get();
            } catch (InterruptedException e) {
                return;
            }
            String[] parts = key.split("/", 2);
            try {
                switch (reconcile(parts[0], parts[1])) {
                    case DONE -> queue.done(key);
                    case LOOK_AGAIN -> queue.doneRetryAfter(key, reconciler.lookAgain());
                    case BACK_OFF -> queue.failed(key);
                }
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "operator: {0}: reconcile failed, retrying with backoff: {1}",
                        key,
                        e.toString());
                LOG.log(Level.DEBUG, "operator: " + key + ": reconcile failure", e);
                queue.failed(key);
            }
        }
    }

    /** The namespace's objects, or every namespace's. */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>>
            FilterWatchListDeletable<T, L, R> inNamespace(MixedOperation<T, L, R> operation) {
        return namespace.isPresent() ? operation.inNamespace(namespace.get()) : operation.inAnyNamespace();
    }

    /**
     * A printer's own events; an update that changed only its status (the operator's own write) is not one, or every
     * status write would bring a backing-off printer forward. Resyncs (same resourceVersion) count.
     */
    private ResourceEventHandler<BambuPrinter> printerHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(BambuPrinter printer) {
                enqueue(printer);
            }

            @Override
            public void onUpdate(BambuPrinter before, BambuPrinter after) {
                boolean resync = Objects.equals(
                        before.getMetadata().getResourceVersion(),
                        after.getMetadata().getResourceVersion());
                boolean statusOnly = Objects.equals(
                                before.getMetadata().getGeneration(),
                                after.getMetadata().getGeneration())
                        && Objects.equals(
                                before.getMetadata().getLabels(),
                                after.getMetadata().getLabels())
                        && Objects.equals(
                                before.getMetadata().getAnnotations(),
                                after.getMetadata().getAnnotations())
                        && before.getMetadata().getDeletionTimestamp()
                                == null
                                == (after.getMetadata().getDeletionTimestamp() == null);
                if (resync || !statusOnly) {
                    enqueue(after);
                }
            }

            @Override
            public void onDelete(BambuPrinter printer, boolean finalStateUnknown) {
                enqueue(printer);
            }
        };
    }

    /** A Secret changed: the operator's own (by owner) and every printer that references it by name. */
    private void secretChanged(Secret secret) {
        enqueueOwner(secret);
        String name = secret.getMetadata().getName();
        for (BambuPrinter printer : printers.getStore().list()) {
            if (printer.getMetadata().getNamespace().equals(secret.getMetadata().getNamespace())
                    && printer.getSpec() != null
                    && Observer.referencedSecrets(printer.getSpec()).contains(name)) {
                enqueue(printer);
            }
        }
    }

    /** A proxy pod's state changed: its printer (label app.kubernetes.io/instance) is looked at again. */
    private void podChanged(Pod pod) {
        String printer = pod.getMetadata().getLabels() == null
                ? null
                : pod.getMetadata().getLabels().get(Observer.INSTANCE);
        if (printer != null) {
            queue.add(pod.getMetadata().getNamespace() + "/" + printer);
        }
    }

    private void enqueue(HasMetadata printer) {
        queue.add(printer.getMetadata().getNamespace() + "/"
                + printer.getMetadata().getName());
    }

    /** An object the operator made changed (or went away): its printer is looked at again. */
    private void enqueueOwner(HasMetadata child) {
        for (OwnerReference owner : child.getMetadata().getOwnerReferences()) {
            if (owner.getKind().equals("BambuPrinter")) {
                queue.add(child.getMetadata().getNamespace() + "/" + owner.getName());
            }
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                action.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                action.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                action.accept(object);
            }
        };
    }
}
