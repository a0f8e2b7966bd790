package dev.pandaproxy.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.LoginThrottleConfig;
import dev.pandaproxy.guard.LoginThrottle.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic, on a clock the test moves. */
class LoginThrottleTest {
    private static final LoginThrottleConfig DEFAULTS =
            new LoginThrottleConfig(5, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofHours(1), 10_000);
    private static final long CODES = 100_000_000L; // 8 digits

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(DEFAULTS, now::get);

    @Test
    void aUserWhoMistypedTheCodeIsNotSlowedDown() throws Exception {
        InetAddress user = InetAddress.getByName("192.168.1.20");
        assertThat(throttle.check(user, "test", () -> false)).isInstanceOf(Verdict.Rejected.class);
        assertThat(throttle.check(user, "test", () -> true)).isInstanceOf(Verdict.Admitted.class);
        // a success starts over: four more typos still cost nothing
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.check(user, "test", () -> false)).isInstanceOf(Verdict.Rejected.class);
        }
        assertThat(throttle.check(user, "test", () -> true)).isInstanceOf(Verdict.Admitted.class);
    }

    @Test
    void aBlockedSourceIsRefusedUncheckedAndEveryBlockDoublesUpToTheMaximum() throws Exception {
        InetAddress guesser = InetAddress.getByName("10.0.0.66");
        for (int i = 0; i < 5; i++) {
            throttle.check(guesser, "test", () -> false);
        }
        throttle.check(guesser, "test", () -> false); // the sixth failure: blocked for 2 s
        assertThat(throttle.check(guesser, "test", () -> {
                    throw new AssertionError("credentials checked while blocked");
                }))
                .isEqualTo(new Verdict.Throttled(Duration.ofSeconds(2)));
        Duration expected = Duration.ofSeconds(2);
        for (int i = 0; i < 12; i++) {
            now.addAndGet(expected.toNanos());
            throttle.check(guesser, "test", () -> false);
            expected = expected.multipliedBy(2).compareTo(Duration.ofMinutes(10)) > 0
                    ? Duration.ofMinutes(10)
                    : expected.multipliedBy(2);
            assertThat(throttle.check(guesser, "test", () -> true)).isEqualTo(new Verdict.Throttled(expected));
        }
        // other sources are not affected
        assertThat(throttle.check(InetAddress.getByName("10.0.0.67"), "test", () -> true))
                .isInstanceOf(Verdict.Admitted.class);
    }

    @Test
    void guessingTheCodeFromOneAddressTakesCenturies() throws Exception {
        // the best an attacker can do: guess whenever allowed, or wait for the record to be forgotten and start over
        InetAddress guesser = InetAddress.getByName("10.0.0.66");
        long start = now.get();
        int guesses = 0;
        while (guesses < 2_000) {
            Verdict verdict = throttle.check(guesser, "test", () -> false);
            if (verdict instanceof Verdict.Throttled throttled) {
                now.addAndGet(throttled.retryAfter().toNanos());
            } else {
                guesses++;
            }
        }
        double secondsPerGuess = (now.get() - start) / 1e9 / guesses;
        double yearsForHalfTheCodes = CODES / 2.0 * secondsPerGuess / (365.25 * 24 * 3600);
        assertThat(yearsForHalfTheCodes).isGreaterThan(100);

        // waiting an hour for a fresh start gives 5 free and a few cheap guesses per cycle: still centuries
        LoginThrottle fresh = new LoginThrottle(DEFAULTS, now::get);
        start = now.get();
        guesses = 0;
        while (guesses < 2_000) {
            Verdict verdict = fresh.check(guesser, "test", () -> false);
            if (verdict instanceof Verdict.Throttled throttled) {
                now.addAndGet(Duration.ofHours(1).toNanos());
            } else {
                guesses++;
            }
        }
        secondsPerGuess = (now.get() - start) / 1e9 / guesses;
        assertThat(CODES / 2.0 * secondsPerGuess / (365.25 * 24 * 3600)).isGreaterThan(100);
    }

    @Test
    void guessesMadeInParallelCannotAllSlipInBeforeTheBlock() throws Exception {
        InetAddress guesser = InetAddress.getByName("10.0.0.66");
        int attempts = 50;
        CountDownLatch decided = new CountDownLatch(attempts);
        AtomicInteger checked = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Verdict verdict = throttle.check(guesser, "test", () -> {
                    checked.incrementAndGet();
                    decided.countDown();
                    try {
                        decided.await(); // every attempt is inside, or refused, before any verdict
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                });
                if (verdict instanceof Verdict.Throttled) {
                    decided.countDown();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(checked).hasValue(6); // the 5 free failures and the one that starts the block
    }

    @Test
    void aSourceWithoutFailuresForAnHourStartsOver() throws Exception {
        InetAddress user = InetAddress.getByName("192.168.1.20");
        for (int i = 0; i < 5; i++) {
            throttle.check(user, "test", () -> false);
        }
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(throttle.check(user, "test", () -> false)).isInstanceOf(Verdict.Rejected.class);
        assertThat(throttle.check(user, "test", () -> true)).isInstanceOf(Verdict.Admitted.class);
    }

    @Test
    void ipv6AddressesCountBySlash64() throws Exception {
        for (int i = 1; i <= 6; i++) {
            throttle.check(InetAddress.getByName("2001:db8:1:2::" + i), "test", () -> false);
        }
        assertThat(throttle.check(InetAddress.getByName("2001:db8:1:2::ffff"), "test", () -> true))
                .isInstanceOf(Verdict.Throttled.class);
        assertThat(throttle.check(InetAddress.getByName("2001:db8:1:3::1"), "test", () -> true))
                .isInstanceOf(Verdict.Admitted.class);
    }

    @Test
    void theTableIsBounded() throws Exception {
        LoginThrottle small = new LoginThrottle(
                new LoginThrottleConfig(0, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofHours(1), 2),
                now::get);
        for (int i = 1; i <= 3; i++) {
            small.check(InetAddress.getByName("10.0.0." + i), "test", () -> false);
        }
        assertThat(small.blockedSources()).isEqualTo(2);
        // the oldest was forgotten, the newest are still blocked
        assertThat(small.check(InetAddress.getByName("10.0.0.1"), "test", () -> true))
                .isInstanceOf(Verdict.Admitted.class);
        assertThat(small.check(InetAddress.getByName("10.0.0.3"), "test", () -> true))
                .isInstanceOf(Verdict.Throttled.class);
    }
}
