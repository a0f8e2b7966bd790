package dev.pandaproxy.config;

import java.time.Duration;

/** Reconnect delays toward the printer: doubling from {@code initial} up to {@code max}, with jitter. */
public record BackoffConfig(Duration initial, Duration max) {}
