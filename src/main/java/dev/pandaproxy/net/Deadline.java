package dev.pandaproxy.net;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
 */
public final class Deadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> task;
    private final AtomicBoolean expired = new AtomicBoolean();

    private Deadline(Duration timeout, Socket target) {
        this.task = TIMER.schedule(() -> {
            expired.set(true);
            Sockets.abort(target);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the clock: {@code target} is aborted after {@code timeout} unless this deadline is closed first. */
    public static Deadline abortAfter(Duration timeout, Socket target) {
        return new Deadline(timeout, target);
    }

    /** Whether the deadline passed and the target was aborted. */
    public boolean expired() {
        return expired.get();
    }

    /** Stops the clock. */
    @Override
    public void close() {
        task.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pandaproxy-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        // cancelled deadlines (the normal case) leave the queue at once instead of piling up
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
