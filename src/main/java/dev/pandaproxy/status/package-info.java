/**
 * What a running service reports about itself: counters, upstream state and status snapshots, shared by
 * {@code /status}, the Prometheus metrics and the health checks.
 */
package dev.pandaproxy.status;
