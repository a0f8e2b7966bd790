package dev.pandaproxy.net;

import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Aborts a socket unless the guarded step finishes in time. Socket read timeouts apply per read, so a
 * client trickling one byte at a time could hold a login open for ever; a deadline bounds the whole step,
 * and bounds blocking writes to a client that stopped reading (see {@link Sockets#abort}).
 *
 * <pre>{@code
 * try (Deadline deadline = Deadline.abortAfter(timeout, socket)) {
 *     socket.startHandshake();
 *     login = in.readNBytes(80);
 * }
 * }</pre>
 *
 * <p>Every camera frame to every viewer is written under a deadline, thousands a second, and nearly all
 * of them are met. So starting and stopping one only adds it to and removes it from a set; one sweeper
 * thread looks for expired ones every {@link #TICK}, which is fine-grained enough for timeouts of seconds.
 * (A timer task per deadline woke the timer thread on every write.)
 */
public final class Deadline implements AutoCloseable {
    /** How late past its time a deadline may fire. */
    static final Duration TICK = Duration.ofMillis(50);

    private static final Set<Deadline> PENDING = ConcurrentHashMap.newKeySet();
    /** Set while the sweeper waits for a first deadline without a time limit. */
    private static volatile boolean idle;

    private static final Thread SWEEPER =
            Thread.ofPlatform().daemon().name("pandaproxy-deadlines").start(Deadline::sweep);

    private final long expiresAtNanos;
    private final Runnable onExpiry;
    private volatile boolean expired;

    private Deadline(Duration timeout, Runnable onExpiry) {
        this.expiresAtNanos = System.nanoTime() + timeout.toNanos();
        this.onExpiry = onExpiry;
    }

    /** Starts the clock: {@code target} is aborted after {@code timeout} unless this deadline is closed first. */
    public static Deadline abortAfter(Duration timeout, Socket target) {
        return after(timeout, () -> Sockets.abort(target));
    }

    /**
     * Starts the clock: {@code onExpiry} runs (on the sweeper thread: it must be quick, e.g. close a connection)
     * after {@code timeout} unless this deadline is closed first.
     */
    public static Deadline after(Duration timeout, Runnable onExpiry) {
        Deadline deadline = new Deadline(timeout, onExpiry);
        PENDING.add(deadline);
        if (idle) {
            LockSupport.unpark(SWEEPER);
        }
        return deadline;
    }

    /** Whether the deadline passed and the target was aborted. */
    public boolean expired() {
        return expired;
    }

    /** Whether the sweeper waits for a first deadline, with nothing to watch (tests start from there). */
    static boolean sweeperIdle() {
        return idle;
    }

    /** Stops the clock. */
    @Override
    public void close() {
        PENDING.remove(this);
    }

    private static void sweep() {
        while (true) {
            // idle first, then look: a deadline added meanwhile sees the flag and unparks (or leaves a permit)
            idle = true;
            if (PENDING.isEmpty()) {
                LockSupport.park();
            }
            idle = false;
            LockSupport.parkNanos(TICK.toNanos());
            long now = System.nanoTime();
            for (Deadline deadline : PENDING) {
                // removing is the claim: a deadline closed at the same moment is either met or aborted, not both
                if (now - deadline.expiresAtNanos >= 0 && PENDING.remove(deadline)) {
                    deadline.expired = true;
                    deadline.onExpiry.run();
                }
            }
        }
    }
}
