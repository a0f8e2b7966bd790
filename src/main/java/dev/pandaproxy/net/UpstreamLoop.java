package dev.pandaproxy.net;

import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The printer side of a service: connect, serve until the connection ends, wait with {@link Backoff},
 * connect again; and, for on-demand services, stay idle while nobody needs the printer. Clients are not
 * part of this loop, so they stay connected while the printer reboots.
 */
public final class UpstreamLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UpstreamLoop.class.getName());

    /** One established printer connection. */
    public interface Session extends Closeable {
        /** Relays until the connection ends; returns or throws when it does. */
        void run() throws IOException;
    }

    /** Opens (connects and logs in) a printer connection. */
    @FunctionalInterface
    public interface Connector {
        Session connect() throws IOException;
    }

    /** Whether anyone needs the printer connection now. */
    public interface Demand {
        /** Always needed (e.g. MQTT, whose state the proxy keeps). */
        Demand ALWAYS = new Demand() {
            @Override
            public void awaitDemand() {}

            @Override
            public void awaitNoDemand() throws InterruptedException {
                Thread.sleep(Long.MAX_VALUE);
            }
        };

        /** Blocks until the connection is needed. */
        void awaitDemand() throws InterruptedException;

        /** Blocks until the connection is no longer needed (including any linger time). */
        void awaitNoDemand() throws InterruptedException;
    }

    private final String service;
    private final String target;
    private final Backoff backoff;
    private final Demand demand;
    private final Connector connector;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile Thread thread;
    private volatile Session current;
    private volatile boolean closed;
    private volatile boolean idleDrop;
    private volatile UpstreamState state = UpstreamState.IDLE;
    private volatile Instant since = Instant.now();
    private volatile String lastError;

    /**
     * @param service   service name for logs and status
     * @param target    printer {@code host:port}, for logs and status
     * @param backoff   delays between attempts
     * @param demand    when the connection is needed
     * @param connector opens a connection
     */
    public UpstreamLoop(String service, String target, Backoff backoff, Demand demand, Connector connector) {
        this.service = service;
        this.target = target;
        this.backoff = backoff;
        this.demand = demand;
        this.connector = connector;
    }

    /** Starts the loop on its own virtual thread. */
    public void start() {
        thread = Thread.ofVirtual().name(service + "-upstream").start(this::loop);
    }

    /** Call when a connection proved healthy (it delivered data), so the next failure starts from a short delay. */
    public void healthy() {
        backoff.reset();
    }

    public UpstreamStatus status() {
        return new UpstreamStatus(
                target, state, since, Optional.ofNullable(lastError), connects.get(), reconnects.get());
    }

    @Override
    public void close() {
        closed = true;
        closeCurrent();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state(UpstreamState.STOPPED);
    }

    private void loop() {
        while (!closed) {
            try {
                if (state != UpstreamState.BACKOFF) {
                    state(UpstreamState.IDLE);
                }
                demand.awaitDemand();
                if (closed) {
                    return;
                }
                state(UpstreamState.CONNECTING);
                if (serveOneConnection()) {
                    continue;
                }
                if (closed) {
                    return;
                }
                reconnects.incrementAndGet();
                Duration delay = backoff.next();
                state(UpstreamState.BACKOFF);
                LOG.log(Level.DEBUG, "{0}: next attempt to reach {1} in {2} ms", service, target, delay.toMillis());
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Returns true when the connection ended because nobody needed it (no backoff then). */
    private boolean serveOneConnection() throws InterruptedException {
        idleDrop = false;
        Thread idleWatch = null;
        try (Session session = connector.connect()) {
            current = session;
            if (closed) {
                return false;
            }
            connects.incrementAndGet();
            state(UpstreamState.CONNECTED);
            LOG.log(Level.INFO, "{0}: connected to the printer at {1}", service, target);
            idleWatch = Thread.ofVirtual().name(service + "-idle-watch").start(this::dropWhenIdle);
            session.run();
            if (!idleDrop && !closed) {
                lastError = "the printer closed the connection";
                LOG.log(Level.WARNING, "{0}: the printer at {1} closed the connection", service, target);
            }
        } catch (IOException | RuntimeException e) {
            if (!idleDrop && !closed) {
                lastError = describe(e);
                LOG.log(Level.WARNING, "{0}: printer connection to {1} failed: {2}", service, target, lastError);
                LOG.log(Level.DEBUG, () -> service + ": failure detail", e);
            }
        } finally {
            current = null;
            if (idleWatch != null) {
                idleWatch.interrupt();
            }
        }
        if (idleDrop && !closed) {
            LOG.log(Level.INFO, "{0}: no clients left, disconnected from the printer at {1}", service, target);
            return true;
        }
        return false;
    }

    private void dropWhenIdle() {
        try {
            demand.awaitNoDemand();
            idleDrop = true;
            closeCurrent();
        } catch (InterruptedException e) {
            // the connection ended first
        }
    }

    private void closeCurrent() {
        Session session = current;
        if (session != null) {
            try {
                session.close();
            } catch (IOException ignored) {
                // closing to stop it; nothing left to do
            }
        }
    }

    private void state(UpstreamState next) {
        if (state != next) {
            state = next;
            since = Instant.now();
        }
    }

    /** A one-line reason for logs and status: exception messages never carry the access code. */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
