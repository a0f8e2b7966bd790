package dev.pandaproxy.http;

import dev.pandaproxy.net.Deadline;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes an HTTP connection whose request headers do not follow its request line within {@code limit}.
 * Helidon's idle timeout covers a connection waiting for a request line, and nothing bounds the headers'
 * arrival otherwise: a client trickling a header byte now and then would hold its connection, and enough
 * of them every connection the listener allows.
 */
final class RequestHeadDeadline implements Http1ConnectionListener {
    private static final System.Logger LOG = System.getLogger(RequestHeadDeadline.class.getName());

    private final Duration limit;
    private final Map<ConnectionContext, Deadline> pending = new ConcurrentHashMap<>();

    RequestHeadDeadline(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void prologue(ConnectionContext connection, HttpPrologue prologue) {
        Deadline previous = pending.put(connection, Deadline.after(limit, () -> {
            pending.remove(connection);
            LOG.log(
                    Level.INFO,
                    "http: {0} closed: its request headers did not arrive within {1} s (http.idle-timeout)",
                    connection.remotePeer().host() + ":"
                            + connection.remotePeer().port(),
                    limit.toSeconds());
            connection.serverSocket().close();
        }));
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public void headers(ConnectionContext connection, Headers headers) {
        Deadline deadline = pending.remove(connection);
        if (deadline != null) {
            deadline.close();
        }
    }
}
