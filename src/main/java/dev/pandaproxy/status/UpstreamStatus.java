package dev.pandaproxy.status;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a service's printer connection.
 *
 * @param target     printer {@code host:port}
 * @param state      current state
 * @param since      when it entered that state
 * @param lastError  why the last connection failed or ended, if it did; never holds a secret
 * @param connects   connections established so far
 * @param reconnects attempts made after a failure or a lost connection
 */
public record UpstreamStatus(
        String target,
        UpstreamState state,
        Instant since,
        Optional<String> lastError,
        long connects,
        long reconnects) {}
