package dev.pandaproxy.guard;

import dev.pandaproxy.config.LoginThrottleConfig;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One per-source throttle of failed logins, shared by every service, so that guessing the 8-digit access
 * code takes centuries while a user who mistyped it once is not slowed down.
 *
 * <p>A source (an IPv4 address, or an IPv6 /64, which one host can fill at will) may fail
 * {@link LoginThrottleConfig#freeFailures()} times; each further failure blocks it for a time that doubles from
 * {@link LoginThrottleConfig#initialBlock()} up to {@link LoginThrottleConfig#maxBlock()}. While blocked its
 * logins are refused <em>without checking the credentials</em>, on every service and every connection, so
 * parallel guessing gains nothing. A source that did not fail for {@link LoginThrottleConfig#forgetAfter()},
 * or that logged in, starts over. At most {@link LoginThrottleConfig#maxSources()} sources are remembered.
 */
public final class LoginThrottle {
    private static final System.Logger LOG = System.getLogger(LoginThrottle.class.getName());

    /** What became of a login attempt. */
    public sealed interface Verdict {
        /** The credentials were right. */
        record Admitted() implements Verdict {}

        /** The credentials were wrong (and counted). */
        record Rejected() implements Verdict {}

        /** The source failed too often: refused unchecked; it may try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Verdict {
            /** Whole seconds, at least 1, for {@code Retry-After} and messages. */
            public long retryAfterSeconds() {
                return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            }
        }
    }

    private static final Verdict ADMITTED = new Verdict.Admitted();
    private static final Verdict REJECTED = new Verdict.Rejected();

    /** Failures of one source; guarded by the throttle's lock. */
    private static final class Record {
        int failures;
        long lastFailureNanos;
        long blockedUntilNanos;
        boolean logged;
    }

    private final LoginThrottleConfig config;
    private final LongSupplier nanoTime;
    /** Least recently seen first, so that one is dropped when the table is full. */
    private final Map<String, Record> sources = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(LoginThrottleConfig config) {
        this(config, System::nanoTime);
    }

    /** With a clock of its own, for tests. */
    LoginThrottle(LoginThrottleConfig config, LongSupplier nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
    }

    /**
     * Checks one login of {@code source}: refused unchecked while the source is blocked, otherwise decided by
     * {@code credentialsMatch} (which should compare in constant time) and counted.
     *
     * @param service for the log line when the source gets blocked
     */
    public Verdict check(InetAddress source, String service, BooleanSupplier credentialsMatch) {
        String key = key(source);
        long now = nanoTime.getAsLong();
        Duration block = Duration.ZERO;
        boolean firstBlock = false;
        synchronized (this) {
            Record record = current(key, now);
            if (record != null && record.blockedUntilNanos - now > 0) {
                return new Verdict.Throttled(Duration.ofNanos(record.blockedUntilNanos - now));
            }
            if (record == null) {
                record = new Record();
                sources.put(key, record);
                while (sources.size() > config.maxSources()) {
                    sources.remove(sources.keySet().iterator().next());
                }
            }
            // counted as a failure before the credentials are checked, so that attempts made in parallel cannot all
            // slip in before the first verdict; a success clears the record
            record.failures++;
            record.lastFailureNanos = now;
            int over = record.failures - config.freeFailures();
            if (over > 0) {
                block = blockFor(over);
                record.blockedUntilNanos = now + block.toNanos();
                firstBlock = !record.logged;
                record.logged = true;
            }
        }
        if (credentialsMatch.getAsBoolean()) {
            synchronized (this) {
                sources.remove(key);
            }
            return ADMITTED;
        }
        if (firstBlock) {
            LOG.log(
                    Level.WARNING,
                    "{0}: {1} failed to log in {2} times: its logins on every service are refused for {3} s, "
                            + "then for longer after each further failure (login-throttle.*)",
                    service,
                    source.getHostAddress(),
                    config.freeFailures() + 1,
                    Math.max(1, block.toSeconds()));
        }
        return REJECTED;
    }

    /** Sources blocked now. */
    synchronized int blockedSources() {
        long now = nanoTime.getAsLong();
        return (int) sources.values().stream()
                .filter(r -> r.blockedUntilNanos - now > 0)
                .count();
    }

    /** The record of {@code key}, dropped (and {@code null}) once it was forgotten. */
    private Record current(String key, long now) {
        Record record = sources.get(key);
        if (record != null
                && now - record.lastFailureNanos >= config.forgetAfter().toNanos()
                && record.blockedUntilNanos - now <= 0) {
            sources.remove(key);
            return null;
        }
        return record;
    }

    /** {@code initialBlock * 2^(over-1)}, at most {@code maxBlock}. */
    private Duration blockFor(int over) {
        Duration block = config.initialBlock();
        for (int i = 1; i < over && block.compareTo(config.maxBlock()) < 0; i++) {
            block = block.multipliedBy(2);
        }
        return block.compareTo(config.maxBlock()) > 0 ? config.maxBlock() : block;
    }

    /** IPv4 addresses count one by one; IPv6 by /64, the block one host (or one home network) gets. */
    private static String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        return HexFormat.of().formatHex(address instanceof Inet6Address ? Arrays.copyOf(bytes, 8) : bytes);
    }
}
