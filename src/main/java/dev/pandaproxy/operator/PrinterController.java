package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.operator.model.BambuPrinter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns events into printer keys: a BambuPrinter's own changes, and changes of the objects it owns (Deployment,
 * ConfigMap, Service, Secret; found by owner reference), so an object edited or deleted by hand is put back. Workers take keys from the queue and run the reconciler; a failure sends the key back after
 * its own backoff.
 */
final class PrinterController implements AutoCloseable {
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
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    /**
     * @param namespace the namespace to watch, or every namespace
     * @param workers   keys reconciled at once (one key is never reconciled twice at once)
     */
    PrinterController(KubernetesClient client, Optional<String> namespace, PrinterReconciler reconciler, BackoffConfig backoff,
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
    void start(java.util.function.Consumer<String> onFailure) {
        long resync = RESYNC.toMillis();
        if (namespace.isPresent()) {
            String ns = namespace.get();
            informers.add(client.resources(BambuPrinter.class).inNamespace(ns).inform(handler(this::enqueue), resync));
            informers.add(client.apps().deployments().inNamespace(ns).withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.configMaps().inNamespace(ns).withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.services().inNamespace(ns).withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.secrets().inNamespace(ns).withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
        } else {
            informers.add(client.resources(BambuPrinter.class).inAnyNamespace().inform(handler(this::enqueue), resync));
            informers.add(client.apps().deployments().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.configMaps().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.services().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
            informers.add(client.secrets().inAnyNamespace().withLabel(MANAGED_BY, OPERATOR).inform(handler(this::enqueueOwner), resync));
        }
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

    /** Keys waiting (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        closing = true;
        // stop the loops before the informers, so no worker acts on a half-stopped view
        threads.forEach(Thread::interrupt);
        informers.forEach(SharedIndexInformer::stop);
        // their watches are closed when this returns (bounded: shutdown must not hang on a dead API server)
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.stopped().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
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
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            String[] parts = key.split("/", 2);
            try {
                switch (reconciler.reconcile(parts[0], parts[1])) {
                    case DONE -> queue.done(key);
                    case LOOK_AGAIN -> queue.doneRetryAfter(key, reconciler.lookAgain());
                    case BACK_OFF -> queue.failed(key);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "operator: {0}: reconcile failed, retrying with backoff: {1}", key, e.getMessage());
                queue.failed(key);
            }
        }
    }

    private void enqueue(HasMetadata printer) {
        queue.add(printer.getMetadata().getNamespace() + "/" + printer.getMetadata().getName());
    }

    /** An object the operator made changed (or went away): its printer is looked at again. */
    private void enqueueOwner(HasMetadata child) {
        for (OwnerReference owner : child.getMetadata().getOwnerReferences()) {
            if (owner.getKind().equals("BambuPrinter")) {
                queue.add(child.getMetadata().getNamespace() + "/" + owner.getName());
            }
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(java.util.function.Consumer<T> action) {
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
