package dev.pandaproxy.net;

import java.io.IOException;
import java.net.Socket;

/** Closing sockets from another thread. */
public final class Sockets {
    private Sockets() {}

    /**
     * Closes {@code socket} at once, even while another thread is blocked writing to it. A TLS socket's
     * {@code close()} normally waits for the writer's lock to send {@code close_notify}, which never comes
     * when the peer stopped reading; with SO_LINGER 0 the JDK gives up on that lock at once and the TCP
     * connection is reset instead.
     */
    public static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** Closes {@code socket} the usual way (a TLS socket sends close_notify), ignoring that it may be closed already. */
    public static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }
}
