package dev.pandaproxy.fanout;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A subscriber's bounded inbox. {@link #offer} never blocks: the producer must not wait for a slow
 * consumer. Locks rather than {@code synchronized}, so waiting virtual threads do not pin carriers.
 *
 * @param <T> item type
 */
public abstract sealed class Mailbox<T> permits Mailbox.LatestOnly, Mailbox.Bounded {
    final ReentrantLock lock = new ReentrantLock();
    final Condition available = lock.newCondition();
    boolean closed;

    /** Keeps only the newest item: a consumer that falls behind skips to the latest (video frames). */
    public static <T> Mailbox<T> latestOnly() {
        return new LatestOnly<>();
    }

    /** Keeps up to {@code capacity} items in order; a full mailbox refuses the item (the subscriber is cut off). */
    public static <T> Mailbox<T> bounded(int capacity) {
        return new Bounded<>(capacity);
    }

    /** What became of an offered item. */
    enum Offer {
        /** Queued. */
        ACCEPTED,
        /** Queued in place of an unread item, which was skipped. */
        REPLACED,
        /** Not queued: the mailbox is full or closed. */
        REFUSED
    }

    /** Adds an item without blocking. */
    abstract Offer offer(T item);

    /** Items that were replaced before being read (latest-only delivery). */
    public abstract long skipped();

    abstract T poll();

    /** {@link #take(long)} without a time limit. */
    static final long FOREVER = Long.MAX_VALUE;

    /**
     * The next item, waiting up to {@code timeoutNanos} ({@link #FOREVER}: no limit); {@code null} on timeout
     * or once closed and empty.
     */
    T take(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            T item;
            while ((item = poll()) == null && !closed) {
                if (timeoutNanos == FOREVER) {
                    // untimed: a timed wait costs every wake-up a timer task in the virtual thread scheduler
                    available.await();
                } else if (remaining <= 0) {
                    return null;
                } else {
                    remaining = available.awaitNanos(remaining);
                }
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    static final class LatestOnly<T> extends Mailbox<T> {
        private T slot;
        private long skipped;

        @Override
        Offer offer(T item) {
            lock.lock();
            try {
                if (closed) {
                    return Offer.REFUSED;
                }
                boolean replacing = slot != null;
                if (replacing) {
                    skipped++;
                }
                slot = item;
                available.signal();
                return replacing ? Offer.REPLACED : Offer.ACCEPTED;
            } finally {
                lock.unlock();
            }
        }

        @Override
        T poll() {
            T item = slot;
            slot = null;
            return item;
        }

        @Override
        public long skipped() {
            lock.lock();
            try {
                return skipped;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class Bounded<T> extends Mailbox<T> {
        private final ArrayDeque<T> queue;
        private final int capacity;

        Bounded(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1");
            }
            this.capacity = capacity;
            this.queue = new ArrayDeque<>(Math.min(capacity, 64));
        }

        @Override
        Offer offer(T item) {
            lock.lock();
            try {
                if (closed || queue.size() >= capacity) {
                    return Offer.REFUSED;
                }
                queue.addLast(item);
                available.signal();
                return Offer.ACCEPTED;
            } finally {
                lock.unlock();
            }
        }

        @Override
        T poll() {
            return queue.pollFirst();
        }

        @Override
        public long skipped() {
            return 0;
        }
    }
}
