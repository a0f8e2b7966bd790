package dev.pandaproxy.net;

import dev.pandaproxy.config.RelayConfig;
import dev.pandaproxy.status.ServiceStats;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes both ways between two sockets, one virtual thread per direction, until both directions
 * ended. An EOF in one direction is passed on as a half-close of the other socket, so protocols that
 * shut down one side first (FTP, TLS close_notify) behave as without the relay.
 */
public final class Relay {
    private static final System.Logger LOG = System.getLogger(Relay.class.getName());
    private static final int BUFFER = 16 * 1024;

    /** Who opens the conversation on a relayed port. */
    public enum FirstWord {
        /** The client (TLS: its ClientHello): the printer is connected only once it spoke. */
        CLIENT,
        /** Unknown or the server: the printer is connected at once. */
        ANYONE
    }

    private Relay() {}

    /**
     * A listener handler that connects each accepted client to {@code host}:{@code port} and relays both
     * ways, counting the client while it is connected and the bytes it exchanged in each direction. A client that says nothing
     * within the first-byte timeout (when it speaks first) costs no printer connection; a connection idle in
     * both directions for the idle timeout is closed.
     */
    public static Listener.Handler to(
            String name,
            String host,
            int port,
            Duration connectTimeout,
            RelayConfig limits,
            FirstWord firstWord,
            ServiceStats stats) {
        return client -> {
            String peer = Peers.describe(client);
            byte[] first = new byte[0];
            if (firstWord == FirstWord.CLIENT) {
                Optional<Ending> silent = Optional.empty();
                try {
                    first = firstBytes(client, limits.firstByteTimeout());
                    if (first.length == 0) {
                        silent = Optional.of(Ending.EOF);
                    }
                } catch (SocketTimeoutException e) {
                    silent = Optional.of(Ending.FIRST_BYTE_TIMEOUT);
                }
                if (silent.isPresent()) {
                    // no printer connection was made: debug only, like a port scanner's visit
                    LOG.log(
                            Level.DEBUG,
                            "{0}: {1} -> {2}:{3} closed after 0 bytes: {4}",
                            name,
                            peer,
                            host,
                            String.valueOf(port),
                            silent.get().text);
                    return;
                }
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
                upstream.getOutputStream().write(first);
            } catch (IOException e) {
                Sockets.abort(upstream);
                throw e;
            }
            stats.clientConnected(peer, Optional.empty());
            AtomicLong up = new AtomicLong(first.length);
            AtomicLong down = new AtomicLong();
            try {
                run(name, client, upstream, Relay::copy, up, down, limits.idleTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stats.clientDisconnected(peer);
                stats.relayed(up.get() + down.get());
                stats.carried(up.get(), down.get());
            }
        };
    }

    /**
     * One direction of a relay: moves what {@code in} delivers to {@code out} until {@code in} ends, counting the
     * bytes it reads. A protocol-aware pump may change what passes (e.g. add a header).
     */
    @FunctionalInterface
    public interface Pump {
        void pump(InputStream in, OutputStream out, AtomicLong counter) throws IOException;
    }

    /**
     * Relays until both directions end, then closes both sockets.
     *
     * @param name     for thread names and log lines
     * @param a        the side that connected (a client)
     * @param b        the side it was connected to (upstream)
     * @param aToBPump moves what {@code a} sends
     * @param aToB     counts bytes from {@code a} to {@code b}
     * @param bToA     counts bytes from {@code b} to {@code a}
     */
    public static void run(String name, Socket a, Socket b, Pump aToBPump, AtomicLong aToB, AtomicLong bToA)
            throws InterruptedException {
        run(name, a, b, aToBPump, aToB, bToA, Duration.ZERO);
    }

    /**
     * As {@link #run(String, Socket, Socket, Pump, AtomicLong, AtomicLong)}, closing both when idle for
     * {@code idleTimeout} (zero: never). Each direction logs one line when it ends: its bytes and why it ended.
     */
    private static void run(
            String name, Socket a, Socket b, Pump aToBPump, AtomicLong aToB, AtomicLong bToA, Duration idleTimeout)
            throws InterruptedException {
        Activity activity = new Activity(idleTimeout);
        String aPeer = Peers.describe(a);
        String bPeer = Peers.describe(b);
        AtomicBoolean aborted = new AtomicBoolean();
        Link forwardLink = new Link(name, aPeer + " -> " + bPeer, aToB, activity, aborted);
        Link backLink = new Link(name, aPeer + " <- " + bPeer, bToA, activity, aborted);
        Thread forward = Thread.ofVirtual().name(name + "-up").start(() -> forwardLink.copy(a, b, aToBPump));
        boolean ended = false;
        try {
            backLink.copy(b, a, Relay::copy);
            forward.join();
            ended = true;
        } finally {
            if (ended) {
                // both sides said goodbye: close gently, a reset could still destroy what the last peer has to read
                Sockets.closeQuietly(a);
                Sockets.closeQuietly(b);
            } else {
                Sockets.abort(a);
                Sockets.abort(b);
            }
        }
    }

    /** Why one direction of a relayed connection ended, as its log line says it. */
    enum Ending {
        /** The sending side closed (or half-closed) its end. */
        EOF("EOF"),
        /** Reading or writing failed: a peer reset the connection or it broke. */
        RESET("reset"),
        /** The pump refused what passed (a protocol-aware pump's check), or TLS failed; the log line says why. */
        ERROR("error"),
        /** Neither direction carried a byte for the idle timeout. */
        IDLE_TIMEOUT("idle timeout (relay.idle-timeout)"),
        /** The client said nothing within the first-byte timeout. */
        FIRST_BYTE_TIMEOUT("first-byte timeout (relay.first-byte-timeout)"),
        /** The other direction failed first and the relay closed both sockets. */
        OTHER_DIRECTION("the other direction ended");

        private final String text;

        Ending(String text) {
            this.text = text;
        }
    }

    /**
     * One direction of a relayed connection, as toxiproxy calls it: pumps until its input ends, then logs its
     * byte count and why it ended. The first direction to fail closes both sockets; the other ends because of it.
     *
     * @param name    the service, as its log lines name it
     * @param route   {@code from -> to} as its log line shows it
     * @param counter the bytes read so far
     * @param aborted set by the first direction that failed
     */
    private record Link(String name, String route, AtomicLong counter, Activity activity, AtomicBoolean aborted) {
        /** Pumps {@code from} into {@code to} until EOF, then half-closes {@code to}; on error or idleness aborts both. */
        void copy(Socket from, Socket to, Pump pump) {
            String why;
            try {
                pump.pump(activity.watch(from), to.getOutputStream(), counter);
                to.shutdownOutput();
                why = Ending.EOF.text;
            } catch (IOException e) {
                boolean first = aborted.compareAndSet(false, true);
                Sockets.abort(from);
                Sockets.abort(to);
                why = !first
                        ? Ending.OTHER_DIRECTION.text
                        : switch (e) {
                            case SocketTimeoutException timeout -> Ending.IDLE_TIMEOUT.text;
                            case SocketException broken -> Ending.RESET.text;
                            // a pump's or TLS's message may quote what the peer sent
                            default -> Ending.ERROR.text + " (" + LogText.escape(String.valueOf(e.getMessage())) + ")";
                        };
            }
            LOG.log(
                    Level.INFO,
                    "{0}: {1} closed after {2} bytes: {3}",
                    name,
                    route,
                    String.valueOf(counter.get()),
                    why);
        }
    }

    /** When either direction last carried a byte: one quiet direction is normal, both quiet for long is not. */
    private static final class Activity {
        private final long idleNanos;
        private volatile long lastNanos = System.nanoTime();

        Activity(Duration idleTimeout) {
            this.idleNanos = idleTimeout.toNanos();
        }

        /**
         * What {@code socket} delivers, noting each read; with an idle timeout a read that waits for it while the
         * other direction was quiet too ends in a {@link SocketTimeoutException}. The socket's read timeout is half
         * the idle timeout, so an idle pair is noticed at most half a timeout late.
         */
        InputStream watch(Socket socket) throws IOException {
            if (idleNanos == 0) {
                return socket.getInputStream();
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idleNanos / 2_000_000)));
            return new FilterInputStream(socket.getInputStream()) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    while (true) {
                        try {
                            int n = super.read(buffer, offset, length);
                            lastNanos = System.nanoTime();
                            return n;
                        } catch (SocketTimeoutException e) {
                            if (System.nanoTime() - lastNanos >= idleNanos) {
                                throw e;
                            }
                            // the other direction is busy
                        }
                    }
                }
            };
        }
    }

    /**
     * What the client sent first, or nothing when it closed at once.
     *
     * @throws SocketTimeoutException when it stayed silent for {@code timeout}
     */
    private static byte[] firstBytes(Socket client, Duration timeout) throws IOException {
        byte[] buffer = new byte[BUFFER];
        client.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            int n = client.getInputStream().read(buffer);
            return n <= 0 ? new byte[0] : Arrays.copyOf(buffer, n);
        } finally {
            client.setSoTimeout(0);
        }
    }

    /** The plain pump: every byte as it comes. */
    private static void copy(InputStream in, OutputStream out, AtomicLong counter) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            counter.addAndGet(n);
        }
    }
}
