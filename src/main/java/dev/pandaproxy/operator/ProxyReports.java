package dev.pandaproxy.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What each printer's proxy pod last said of itself ({@code /status}), read off the reconcile's path: one virtual
 * thread per printer asks its pod every {@link #EVERY} and, when the answer differs from the last one (clients came or
 * went, the printer connection went up or down, a pin was taken), the printer's key is queued, so that its status
 * follows. A reconcile reads the last answer from here and only says where the pod is ({@link #follow}).
 */
final class ProxyReports implements AutoCloseable {
    /** How often each proxy pod is asked: the longest a client count in a printer's status lags. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final ProxyStatusReader reader;
    private final Duration every;
    private final Map<String, Follower> followers = new ConcurrentHashMap<>();
    private volatile Consumer<String> changed = key -> {};

    /** A pod's HTTP endpoint. */
    record Pod(String address, int port) {}

    /** Asks one pod until interrupted; {@code last} is what it answered last. */
    private final class Follower {
        final Pod pod;
        final Thread thread;
        volatile Optional<ProxyStatusReader.Report> last = Optional.empty();

        Follower(String key, Pod pod) {
            this.pod = pod;
            this.thread = Thread.ofVirtual().name("proxy-status-" + key).start(() -> ask(key));
        }

        private void ask(String key) {
            while (!Thread.currentThread().isInterrupted()) {
                Optional<ProxyStatusReader.Report> now = reader.read(pod.address(), pod.port());
                if (Thread.currentThread().isInterrupted()) {
                    return; // followed elsewhere, or forgotten, while it asked: this answer is no one's
                }
                if (!Objects.equals(now, last)) {
                    last = now;
                    changed.accept(key);
                }
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    ProxyReports(ProxyStatusReader reader, Duration every) {
        this.reader = reader;
        this.every = every;
    }

    /** Who hears that a printer's report changed (the controller, which queues the printer's key). */
    void whenChanged(Consumer<String> listener) {
        this.changed = listener;
    }

    /** The printer's proxy pod answers at {@code pod} now (empty: it has none running); asks there from now on. */
    void follow(String key, Optional<Pod> pod) {
        if (pod.isEmpty()) {
            forget(key);
            return;
        }
        followers.compute(key, (k, old) -> {
            if (old != null && old.pod.equals(pod.get())) {
                return old;
            }
            if (old != null) {
                old.thread.interrupt();
            }
            return new Follower(key, pod.get());
        });
    }

    /** The last answer of the printer's proxy pod; empty when it has not answered (yet). */
    Optional<ProxyStatusReader.Report> last(String key) {
        Follower follower = followers.get(key);
        return follower == null ? Optional.empty() : follower.last;
    }

    /** The printer, or its pod, went away. */
    void forget(String key) {
        Follower old = followers.remove(key);
        if (old != null) {
            old.thread.interrupt();
        }
    }

    @Override
    public void close() {
        followers.keySet().forEach(this::forget);
    }
}
