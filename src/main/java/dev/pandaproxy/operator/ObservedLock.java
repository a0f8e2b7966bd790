package dev.pandaproxy.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The leader-election lock, with the outcome of its last call to the API server kept. fabric8's elector catches a
 * failed read or write of the Lease and retries for ever (a renewal failure only at debug level), so a replica
 * that may not write its Lease would otherwise stand by, or lose the lead, without a word: this is how it learns
 * why, for its readiness and its log.
 */
final class ObservedLock implements Lock {
    private static final System.Logger LOG = System.getLogger(ObservedLock.class.getName());

    private final Lock lock;
    private final String lease;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /** @param lease the Lease as {@code namespace/name}, for messages */
    ObservedLock(Lock lock, String lease) {
        this.lock = lock;
        this.lease = lease;
    }

    /** Why the last call failed; empty when it succeeded. */
    Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
        return observe("read", () -> lock.get(client));
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
        observe("create", () -> {
            lock.create(client, record);
            return null;
        });
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
        observe("renew", () -> {
            lock.update(client, record);
            return null;
        });
    }

    @Override
    public String identity() {
        return lock.identity();
    }

    @Override
    public String describe() {
        return lock.describe();
    }

    private <T> T observe(String action, Supplier<T> call) {
        try {
            T result = call.get();
            if (lastError.getAndSet(null) != null) {
                LOG.log(Level.INFO, "operator: the Lease {0} answers again", lease);
            }
            return result;
        } catch (RuntimeException e) {
            String error = "cannot " + action + " the Lease " + lease + ": " + e.getMessage();
            // once per distinct failure, not at every retry
            if (!error.equals(lastError.getAndSet(error))) {
                LOG.log(Level.WARNING, "operator: {0}", error);
            }
            throw e;
        }
    }
}
