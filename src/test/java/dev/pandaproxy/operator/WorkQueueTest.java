package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.BackoffConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's work queue: one entry per key, events bring keys forward, backoff per key, a clean shutdown. */
class WorkQueueTest {
    private static final Duration LONG = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 10;

    private final WorkQueue queue = new WorkQueue(new BackoffConfig(LONG, LONG));

    @Test
    void aKeyAddedTwiceWaitsOnce() throws Exception {
        queue.add("printers/a");
        queue.add("printers/a");
        queue.addAfter("printers/a", LONG);

        assertThat(queue.size()).isEqualTo(1);
        assertThat(take()).isEqualTo("printers/a");
        assertThat(queue.size()).isZero();
    }

    @Test
    void anEventBringsForwardAKeyWaitingOutItsBackoff() throws Exception {
        queue.add("printers/a");
        queue.failed(take());
        assertThat(queue.dueIn("printers/a"))
                .hasValueSatisfying(delay -> assertThat(delay).isGreaterThan(Duration.ofMinutes(10)));

        // the user fixed the spec: the informer's event must not wait out the hour
        queue.add("printers/a");

        assertThat(take()).isEqualTo("printers/a");
    }

    @Test
    void aLaterRetryDoesNotPostponeAKeyDueSooner() {
        queue.add("printers/a");
        queue.addAfter("printers/a", LONG);

        assertThat(queue.dueIn("printers/a")).hasValue(Duration.ZERO);
    }

    @Test
    void oneFailingKeyDoesNotHoldBackTheOthers() throws Exception {
        queue.add("printers/broken");
        queue.failed(take());
        queue.add("printers/fine");

        assertThat(take()).isEqualTo("printers/fine");
        queue.done("printers/fine");
        assertThat(queue.dueIn("printers/fine")).isEmpty();
        assertThat(queue.dueIn("printers/broken")).isPresent();
    }

    @Test
    void theBackoffGrowsPerKeyAndStartsOverAfterSuccess() throws Exception {
        WorkQueue growing = new WorkQueue(new BackoffConfig(Duration.ofMinutes(1), LONG));
        growing.add("printers/a");
        String key = takeFrom(growing);
        growing.failed(key);
        // the first delay is drawn from [initial/2, initial], the third from [2 initial, 4 initial]
        assertThat(growing.dueIn(key).orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(1));
        growing.add(key);
        growing.failed(takeFrom(growing));
        growing.add(key);
        growing.failed(takeFrom(growing));
        assertThat(growing.dueIn(key).orElseThrow())
                .isGreaterThan(Duration.ofMinutes(1).plusSeconds(30));

        growing.add(key);
        growing.done(takeFrom(growing));
        growing.add(key);
        growing.failed(takeFrom(growing));
        assertThat(growing.dueIn(key).orElseThrow()).isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aKeyAskedForWhileBeingWorkedOnComesBackAfterwardsNotTwiceAtOnce() throws Exception {
        queue.add("printers/a");
        String key = take();
        queue.add(key);
        assertThat(queue.size()).isZero();

        queue.done(key);

        assertThat(take()).isEqualTo(key);
    }

    @Test
    void aKeyAskedForDuringAFailedReconcileIsNotMadeToWaitOutTheBackoff() throws Exception {
        queue.add("printers/a");
        String key = take();
        queue.add(key);

        queue.failed(key);

        assertThat(queue.dueIn(key)).hasValue(Duration.ZERO);
    }

    @Test
    void closingWakesAWaitingWorkerWithNothing() throws Exception {
        CompletableFuture<Optional<String>> worker = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        queue.close();

        assertThat(worker.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEmpty();
        queue.add("printers/a");
        assertThat(queue.take()).isEmpty();
    }

    private String take() throws Exception {
        return takeFrom(queue);
    }

    /** A due key, taken on another thread so that a key that is wrongly not due fails the test instead of hanging it. */
    private static String takeFrom(WorkQueue queue) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return queue.take().orElseThrow();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
