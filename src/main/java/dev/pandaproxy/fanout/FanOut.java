package dev.pandaproxy.fanout;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Delivers every published item to every subscriber's mailbox. Publishing never blocks; a subscriber
 * whose bounded mailbox overflows is closed, the others are untouched.
 *
 * <p>It also tells the producer whether anyone is listening ({@link #awaitSubscribers()},
 * {@link #awaitNoSubscribersFor(Duration)}), which is how on-demand upstreams connect only while needed.
 *
 * @param <T> item type; items are shared between subscribers, so they must not be mutated
 */
public final class FanOut<T> {
    private final CopyOnWriteArrayList<Subscription<T>> subscriptions = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** A new subscriber receiving items published from now on. */
    public Subscription<T> subscribe(Mailbox<T> mailbox) {
        return subscribe(mailbox, item -> true);
    }

    /** A new subscriber receiving the items published from now on that {@code wants} accepts. */
    public Subscription<T> subscribe(Mailbox<T> mailbox, Predicate<? super T> wants) {
        return subscribe(mailbox, wants, () -> {});
    }

    /**
     * A new subscriber receiving the items published from now on that {@code wants} accepts;
     * {@code onOverflow} runs (on the publishing thread, so it must be quick) when its mailbox overflows.
     */
    public Subscription<T> subscribe(Mailbox<T> mailbox, Predicate<? super T> wants, Runnable onOverflow) {
        Subscription<T> subscription = new Subscription<>(this, mailbox, wants, onOverflow);
        subscriptions.add(subscription);
        signal();
        return subscription;
    }

    /**
     * Hands {@code item} to every subscriber.
     *
     * @return how many subscribers had not read the previous item yet, which they now skip
     */
    public int publish(T item) {
        int skipped = 0;
        for (Subscription<T> subscription : subscriptions) {
            if (subscription.deliver(item)) {
                skipped++;
            }
        }
        return skipped;
    }

    public int subscribers() {
        return subscriptions.size();
    }

    /** Blocks until there is at least one subscriber. */
    public void awaitSubscribers() throws InterruptedException {
        lock.lock();
        try {
            while (subscriptions.isEmpty()) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until there has been no subscriber for {@code linger} without interruption. */
    public void awaitNoSubscribersFor(Duration linger) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                while (!subscriptions.isEmpty()) {
                    changed.await();
                }
                long remaining = linger.toNanos();
                while (subscriptions.isEmpty() && remaining > 0) {
                    remaining = changed.awaitNanos(remaining);
                }
                if (subscriptions.isEmpty()) {
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes every subscription (shutdown). */
    public void closeAll() {
        subscriptions.forEach(Subscription::close);
    }

    void remove(Subscription<T> subscription) {
        if (subscriptions.remove(subscription)) {
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
