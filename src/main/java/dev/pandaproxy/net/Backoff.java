package dev.pandaproxy.net;

import dev.pandaproxy.config.BackoffConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, the one reconnect policy of every upstream: the n-th delay is
 * drawn from [cap/2, cap] where cap = min(max, initial * 2^n), so printers are not hammered in lock step
 * after a reboot and the delay never exceeds {@code max}.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int attempt;

    public Backoff(BackoffConfig config) {
        this.initialMillis = Math.max(1, config.initial().toMillis());
        this.maxMillis = Math.max(initialMillis, config.max().toMillis());
    }

    /** The delay before the next attempt; each call doubles the cap until {@code max}. */
    public synchronized Duration next() {
        long cap = attempt >= 62 ? maxMillis : Math.min(maxMillis, initialMillis << Math.min(attempt, 30));
        attempt++;
        long half = cap / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(cap - half + 1));
    }

    /** Starts over from {@code initial} (after a connection that worked). */
    public synchronized void reset() {
        attempt = 0;
    }
}
