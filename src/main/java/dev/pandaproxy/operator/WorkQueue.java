package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.net.Backoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys waiting to be reconciled. A key waits at most once, at the earliest time anyone asked for it: an event
 * ({@link #add}) brings a key forward even while it sits out a long backoff, so a fixed spec is acted on at once. A
 * key added while it is being worked on is worked on again afterwards (never twice at once); a key that failed comes
 * back after its own exponential backoff, so one broken printer neither hot-loops nor delays the others.
 */
final class WorkQueue implements AutoCloseable {
    private final BackoffConfig backoffConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Waiting keys and when each is due (System.nanoTime()). */
    private final Map<String, Long> due = new HashMap<>();

    private final Set<String> working = new HashSet<>();
    /** Keys asked for while being worked on, and the earliest time asked for. */
    private final Map<String, Long> dirty = new HashMap<>();

    private final Map<String, Backoff> failures = new HashMap<>();
    private boolean closed;

    WorkQueue(BackoffConfig backoff) {
        this.backoffConfig = backoff;
    }

    /** Queues the key now (an event): brings it forward if it waits for later. */
    void add(String key) {
        addAfter(key, Duration.ZERO);
    }

    /** Queues the key after {@code delay}, or keeps it at the earlier time it is already due. */
    void addAfter(String key, Duration delay) {
        lock.lock();
        try {
            long at = System.nanoTime() + delay.toNanos();
            if (working.contains(key)) {
                dirty.merge(key, at, Math::min);
            } else {
                schedule(key, at);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next due key, marked as being worked on; blocks until there is one, empty once the queue is closed. */
    Optional<String> take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                Optional<Map.Entry<String, Long>> first =
                        due.entrySet().stream().min(Map.Entry.comparingByValue());
                if (first.isEmpty()) {
                    changed.await();
                    continue;
                }
                long wait = first.get().getValue() - System.nanoTime();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                String key = first.get().getKey();
                due.remove(key);
                working.add(key);
                return Optional.of(key);
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The key was reconciled: its backoff starts over; queued again if it was asked for meanwhile. */
    void done(String key) {
        lock.lock();
        try {
            failures.remove(key);
            finish(key, Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /** The key failed: it comes back after its next backoff delay, or sooner if an event asks for it. */
    void failed(String key) {
        lock.lock();
        try {
            Duration delay = failures.computeIfAbsent(key, k -> new Backoff(backoffConfig))
                    .next();
            finish(key, System.nanoTime() + delay.toNanos());
        } finally {
            lock.unlock();
        }
    }

    /** The key asked to be looked at again after {@code delay} (e.g. waiting for a Secret). */
    void doneRetryAfter(String key, Duration delay) {
        lock.lock();
        try {
            failures.remove(key);
            finish(key, System.nanoTime() + delay.toNanos());
        } finally {
            lock.unlock();
        }
    }

    /** Keys waiting (being worked on excluded). */
    int size() {
        lock.lock();
        try {
            return due.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every {@link #take()} with nothing; later calls return nothing at once. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @param retryAt when the worker wants the key back, or {@code Long.MAX_VALUE} for never */
    private void finish(String key, long retryAt) {
        working.remove(key);
        Long asked = dirty.remove(key);
        long at = asked == null ? retryAt : Math.min(asked, retryAt);
        if (at != Long.MAX_VALUE) {
            schedule(key, at);
        }
    }

    private void schedule(String key, long at) {
        Long current = due.get(key);
        if (current == null || at < current) {
            due.put(key, at);
            changed.signalAll();
        }
    }

    /** How long until the key is due, if it waits (for tests). */
    Optional<Duration> dueIn(String key) {
        lock.lock();
        try {
            return Optional.ofNullable(due.get(key)).map(at -> Duration.ofNanos(Math.max(0, at - System.nanoTime())));
        } finally {
            lock.unlock();
        }
    }
}
