package dev.pandaproxy.net;

import dev.pandaproxy.status.ServiceStats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes both ways between two sockets, one virtual thread per direction, until both directions
 * ended. An EOF in one direction is passed on as a half-close of the other socket, so protocols that
 * shut down one side first (FTP, TLS close_notify) behave as without the relay.
 */
public final class Relay {
    private static final int BUFFER = 16 * 1024;

    private Relay() {
    }

    /**
     * A listener handler that connects each accepted client to {@code host}:{@code port} and relays both
     * ways, counting the client while it is connected and the bytes it exchanged.
     */
    public static Listener.Handler to(String name, String host, int port, Duration connectTimeout, ServiceStats stats) {
        return client -> {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            } catch (IOException e) {
                Sockets.abort(upstream);
                throw e;
            }
            stats.clientConnected();
            AtomicLong up = new AtomicLong();
            AtomicLong down = new AtomicLong();
            try {
                run(name, client, upstream, up, down);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stats.clientDisconnected();
                stats.relayed(up.get() + down.get());
            }
        };
    }

    /**
     * Relays until both directions end, then closes both sockets.
     *
     * @param name     for thread names
     * @param a        one side
     * @param b        the other side
     * @param aToB     counts bytes from {@code a} to {@code b}
     * @param bToA     counts bytes from {@code b} to {@code a}
     */
    public static void run(String name, Socket a, Socket b, AtomicLong aToB, AtomicLong bToA) throws InterruptedException {
        run(name, a, b, Relay::copy, aToB, bToA);
    }

    /**
     * One direction of a relay: moves what {@code in} delivers to {@code out} until {@code in} ends, counting the
     * bytes it reads. A protocol-aware pump may change what passes (e.g. add a header).
     */
    @FunctionalInterface
    public interface Pump {
        void pump(InputStream in, OutputStream out, AtomicLong counter) throws IOException;
    }

    /** As {@link #run(String, Socket, Socket, AtomicLong, AtomicLong)}, with {@code aToBPump} moving what {@code a} sends. */
    public static void run(String name, Socket a, Socket b, Pump aToBPump, AtomicLong aToB, AtomicLong bToA)
            throws InterruptedException {
        Thread forward = Thread.ofVirtual().name(name + "-up").start(() -> copy(a, b, aToBPump, aToB));
        boolean ended = false;
        try {
            copy(b, a, Relay::copy, bToA);
            forward.join();
            ended = true;
        } finally {
            if (ended) {
                // both sides said goodbye: close gently, a reset could still destroy what the last peer has to read
                closeQuietly(a);
                closeQuietly(b);
            } else {
                Sockets.abort(a);
                Sockets.abort(b);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already, by an error in one direction
        }
    }

    /** Pumps {@code from} into {@code to} until EOF, then half-closes {@code to}; on error aborts both. */
    private static void copy(Socket from, Socket to, Pump pump, AtomicLong counter) {
        try {
            pump.pump(from.getInputStream(), to.getOutputStream(), counter);
            to.shutdownOutput();
        } catch (IOException e) {
            Sockets.abort(from);
            Sockets.abort(to);
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
