package dev.pandaproxy.config;

import java.time.Duration;

/**
 * The failed-login throttle every service shares (HTTP Basic, MQTT CONNECT, the camera login, FTP {@code PASS}).
 *
 * @param freeFailures  failures one source may make before it is blocked (a mistyped code costs nothing)
 * @param initialBlock  the first block; each further failure while counted doubles it
 * @param maxBlock      the longest block
 * @param forgetAfter   a source without a failure for this long starts over
 * @param maxSources    sources remembered at once (the oldest is forgotten first)
 */
public record LoginThrottleConfig(
        int freeFailures, Duration initialBlock, Duration maxBlock, Duration forgetAfter, int maxSources) {

    /** {@code login-throttle.*}. */
    static LoginThrottleConfig from(ConfigReader r) {
        LoginThrottleConfig throttle = new LoginThrottleConfig(
                r.positive("login-throttle.free-failures", 5),
                r.duration("login-throttle.initial-block", Duration.ofSeconds(2)),
                r.duration("login-throttle.max-block", Duration.ofMinutes(10)),
                r.duration("login-throttle.forget-after", Duration.ofHours(1)),
                r.positive("login-throttle.max-sources", 10_000));
        if (throttle.maxBlock().compareTo(throttle.initialBlock()) < 0
                || throttle.initialBlock().isZero()) {
            throw new ConfigException(
                    "login-throttle.initial-block must be positive and not longer than login-throttle.max-block");
        }
        return throttle;
    }
}
