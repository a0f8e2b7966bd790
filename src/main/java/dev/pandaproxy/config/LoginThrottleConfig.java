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
        int freeFailures, Duration initialBlock, Duration maxBlock, Duration forgetAfter, int maxSources) {}
