package dev.pandaproxy.fanout;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * One subscriber's view of a {@link FanOut}. Close it to unsubscribe.
 *
 * @param <T> item type
 */
public final class Subscription<T> implements AutoCloseable {
    private final FanOut<T> fanOut;
    private final Mailbox<T> mailbox;
    private final Predicate<? super T> wants;
    private final Runnable onOverflow;
    private volatile boolean overflowed;
    private volatile boolean closed;

    Subscription(FanOut<T> fanOut, Mailbox<T> mailbox, Predicate<? super T> wants, Runnable onOverflow) {
        this.fanOut = fanOut;
        this.mailbox = mailbox;
        this.wants = wants;
        this.onOverflow = onOverflow;
    }

    /** The next item; {@code null} once the subscription is closed (by the subscriber, overflow or shutdown). */
    public T next() throws InterruptedException {
        return mailbox.take(Mailbox.FOREVER);
    }

    /** The next item within {@code timeout}; {@code null} on timeout or once closed. */
    public T next(Duration timeout) throws InterruptedException {
        return mailbox.take(timeout.toNanos());
    }

    /** Whether the subscription ended because the subscriber fell too far behind a bounded mailbox. */
    public boolean overflowed() {
        return overflowed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Items this subscriber skipped (latest-only delivery). */
    public long skipped() {
        return mailbox.skipped();
    }

    /**
     * Queues an item for this subscriber alone (a reply to something it sent), under the same mailbox
     * policy as published items.
     *
     * @return false when the mailbox overflowed (the subscription is then closed) or was closed
     */
    public boolean send(T item) {
        offer(item);
        return !closed;
    }

    /** Offers a published item if this subscriber wants it; returns whether that skipped an unread item. */
    boolean deliver(T item) {
        return wants.test(item) && offer(item);
    }

    /** Returns whether the item replaced an unread one (latest-only mailboxes). */
    private boolean offer(T item) {
        Mailbox.Offer offer = mailbox.offer(item);
        if (offer == Mailbox.Offer.REFUSED && !closed) {
            overflowed = true;
            close();
            onOverflow.run();
        }
        return offer == Mailbox.Offer.REPLACED;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mailbox.close();
            fanOut.remove(this);
        }
    }
}
