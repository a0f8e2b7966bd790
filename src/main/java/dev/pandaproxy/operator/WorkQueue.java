package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.net.Backoff;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be reconciled. A key is queued at most once; a key added while it is being worked on is worked on
 * again afterwards (never twice at once); a key that failed comes back after its own exponential backoff, so one
 * broken printer neither hot-loops nor delays the others.
 */
final class WorkQueue {
    private final BackoffConfig backoffConfig;
    private final DelayQueue<Entry> queue = new DelayQueue<>();
    private final Set<String> waiting = new HashSet<>();
    private final Set<String> working = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    private final Map<String, Backoff> failures = new HashMap<>();

    WorkQueue(BackoffConfig backoff) {
        this.backoffConfig = backoff;
    }

    /** Queues the key now. */
    void add(String key) {
        addAfter(key, Duration.ZERO);
    }

    /** Queues the key after {@code delay} (it stays queued once). */
    synchronized void addAfter(String key, Duration delay) {
        if (working.contains(key)) {
            again.add(key);
            return;
        }
        if (waiting.add(key)) {
            queue.add(new Entry(key, System.nanoTime() + delay.toNanos()));
        }
    }

    /** The next due key; blocks until there is one. */
    String take() throws InterruptedException {
        Entry entry = queue.take();
        synchronized (this) {
            waiting.remove(entry.key);
            working.add(entry.key);
        }
        return entry.key;
    }

    /** The key was reconciled: its backoff starts over; queued again if it changed meanwhile. */
    synchronized void done(String key) {
        failures.remove(key);
        finish(key, Duration.ZERO);
    }

    /** The key failed: it comes back after its next backoff delay. */
    synchronized void failed(String key) {
        Duration delay = failures.computeIfAbsent(key, k -> new Backoff(backoffConfig)).next();
        again.add(key);
        finish(key, delay);
    }

    /** The key asked to be looked at again after {@code delay} (e.g. waiting for a Secret). */
    synchronized void doneRetryAfter(String key, Duration delay) {
        failures.remove(key);
        again.add(key);
        finish(key, delay);
    }

    synchronized int size() {
        return waiting.size();
    }

    private void finish(String key, Duration delay) {
        working.remove(key);
        if (again.remove(key)) {
            addAfter(key, delay);
        }
    }

    private record Entry(String key, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Entry) other).dueNanos);
        }
    }
}
