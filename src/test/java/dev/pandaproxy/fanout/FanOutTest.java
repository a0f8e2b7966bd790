package dev.pandaproxy.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private final FanOut<Integer> fanOut = new FanOut<>();

    @Test
    void everySubscriberGetsEveryItemInOrder() throws Exception {
        try (Subscription<Integer> a = fanOut.subscribe(Mailbox.bounded(10));
                Subscription<Integer> b = fanOut.subscribe(Mailbox.bounded(10))) {
            for (int i = 0; i < 5; i++) {
                fanOut.publish(i);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(a.next()).isEqualTo(i);
                assertThat(b.next()).isEqualTo(i);
            }
        }
    }

    @Test
    void aLatestOnlySubscriberThatFallsBehindSkipsToTheNewestItem() throws Exception {
        try (Subscription<Integer> slow = fanOut.subscribe(Mailbox.latestOnly());
                Subscription<Integer> fast = fanOut.subscribe(Mailbox.latestOnly())) {
            int skipped = 0;
            for (int i = 0; i < 100; i++) {
                skipped += fanOut.publish(i);
                assertThat(fast.next()).isEqualTo(i);
            }
            assertThat(skipped).as("only the slow subscriber skipped").isEqualTo(99);
            assertThat(slow.next()).isEqualTo(99);
            assertThat(slow.skipped()).isEqualTo(99);
            assertThat(fast.skipped()).isZero();
        }
    }

    @Test
    void aBoundedSubscriberThatOverflowsIsCutOffAndTheOthersAreNot() throws Exception {
        try (Subscription<Integer> slow = fanOut.subscribe(Mailbox.bounded(3));
                Subscription<Integer> fast = fanOut.subscribe(Mailbox.bounded(3))) {
            for (int i = 0; i < 4; i++) {
                fanOut.publish(i);
                assertThat(fast.next()).isEqualTo(i);
            }
            assertThat(slow.overflowed()).isTrue();
            assertThat(slow.isClosed()).isTrue();
            assertThat(fast.overflowed()).isFalse();
            assertThat(fanOut.subscribers()).isEqualTo(1);
            // what it had queued before the overflow is still readable, then the end
            assertThat(slow.next()).isEqualTo(0);
            assertThat(slow.next()).isEqualTo(1);
            assertThat(slow.next()).isEqualTo(2);
            assertThat(slow.next()).isNull();
        }
    }

    @Test
    void closingASubscriptionWakesItsReader() throws Exception {
        Subscription<Integer> subscription = fanOut.subscribe(Mailbox.latestOnly());
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return subscription.next();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        subscription.close();
        assertThat(reader.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(fanOut.subscribers()).isZero();
    }

    @Test
    void nextWithATimeoutReturnsNullWhenNothingComes() throws Exception {
        try (Subscription<Integer> subscription = fanOut.subscribe(Mailbox.latestOnly())) {
            assertThat(subscription.next(Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void demandFollowsTheSubscribersWithLinger() throws Exception {
        CompletableFuture<Void> demand = CompletableFuture.runAsync(() -> await(fanOut::awaitSubscribers));
        assertThat(demand).isNotDone();
        Subscription<Integer> subscription = fanOut.subscribe(Mailbox.latestOnly());
        demand.get(5, TimeUnit.SECONDS);

        long start = System.nanoTime();
        CompletableFuture<Void> idle =
                CompletableFuture.runAsync(() -> await(() -> fanOut.awaitNoSubscribersFor(Duration.ofMillis(200))));
        subscription.close();
        idle.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    private interface Blocking {
        void run() throws InterruptedException;
    }

    private static void await(Blocking blocking) {
        try {
            blocking.run();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
