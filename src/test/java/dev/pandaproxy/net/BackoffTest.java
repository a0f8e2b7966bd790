package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.BackoffConfig;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

class BackoffTest {
    private final Backoff backoff = new Backoff(new BackoffConfig(Duration.ofMillis(100), Duration.ofSeconds(2)));

    @RepeatedTest(20)
    void delaysDoubleWithJitterUpToTheCapAndStartOverAfterReset() {
        long[] caps = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
        for (long cap : caps) {
            assertThat(backoff.next().toMillis()).isBetween(cap / 2, cap);
        }
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(50L, 100L);
    }
}
