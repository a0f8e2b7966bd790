package dev.pandaproxy.rtsp;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.net.Backoff;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child process kept running: started, its output passed to our log one line at a time with the
 * access code masked, restarted with the shared {@link Backoff} when it exits, stopped with its
 * descendants at shutdown so no orphan is left behind.
 */
public final class Supervised implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Supervised.class.getName());
    /** A run this long counts as healthy: the next failure starts over from a short delay. */
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final List<Secret> masks;
    private final Backoff backoff;
    private final AtomicLong restarts = new AtomicLong();
    private volatile Process process;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param name    for logs ({@code ffmpeg}, {@code mediamtx})
     * @param command program and arguments
     * @param masks   secrets masked in the forwarded output (none is on its command line; a program may still echo
     *                what it received, e.g. MediaMTX its configuration)
     */
    public Supervised(String name, List<String> command, List<Secret> masks, BackoffConfig backoff) {
        this.name = name;
        this.command = List.copyOf(command);
        this.masks = List.copyOf(masks);
        this.backoff = new Backoff(backoff);
    }

    /** Starts the process and keeps it running. */
    public void start() {
        thread = Thread.ofVirtual().name(name + "-supervisor").start(this::supervise);
    }

    /** The name it is logged under. */
    public String name() {
        return name;
    }

    /** The running process, if any. */
    public Optional<ProcessHandle> process() {
        Process current = process;
        return current != null && current.isAlive() ? Optional.of(current.toHandle()) : Optional.empty();
    }

    /** Times the process was started again after it exited. */
    public long restarts() {
        return restarts.get();
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        stop(process);
    }

    private void supervise() {
        while (!closed) {
            long started = System.nanoTime();
            try {
                Process started0 =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                process = started0;
                if (closed) {
                    stop(started0);
                    return;
                }
                LOG.log(Level.INFO, "camera: {0} started (pid {1})", name, String.valueOf(started0.pid()));
                forwardOutput(started0);
                int exit = started0.waitFor();
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "camera: {0} exited with status {1}", name, exit);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "camera: {0} could not start: {1}", name, e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                backoff.reset();
            }
            Duration delay = backoff.next();
            LOG.log(Level.INFO, "camera: restarting {0} in {1} ms", name, delay.toMillis());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            restarts.incrementAndGet();
        }
    }

    /** One log line per line the program writes, secrets masked; its chatter is debug detail. */
    private void forwardOutput(Process child) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String masked = line;
                for (Secret secret : masks) {
                    masked = secret.maskIn(masked);
                }
                boolean problem = masked.contains("ERR")
                        || masked.contains("WAR")
                        || masked.toLowerCase().contains("error");
                LOG.log(problem ? Level.WARNING : Level.DEBUG, "camera: {0}: {1}", name, masked);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static void stop(Process child) {
        if (child == null) {
            return;
        }
        List<ProcessHandle> descendants = child.descendants().toList();
        child.destroy();
        try {
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
