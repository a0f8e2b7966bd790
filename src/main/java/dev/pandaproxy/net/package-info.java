/**
 * Sockets and threads shared by every service: the one accept loop ({@link dev.pandaproxy.net.Listener}), the raw
 * {@link dev.pandaproxy.net.Relay}, the printer-side {@link dev.pandaproxy.net.UpstreamLoop} (of the chamber camera and
 * MQTT) with its {@link dev.pandaproxy.net.Backoff}, {@link dev.pandaproxy.net.Deadline}s, and how peers appear in
 * logs. With {@link dev.pandaproxy.fanout} this is the proxy's runtime model; the protocol packages only add their own
 * steps.
 *
 * <h2>Threads</h2>
 *
 * <p>Blocking sockets on virtual threads: a blocked read or write parks a virtual thread, not a carrier, so each
 * conversation reads top to bottom and a stalled peer holds only its own threads.
 *
 * <ul>
 *   <li>Per listener, one virtual thread accepts ({@code <service>-accept}); each accepted connection gets a virtual
 *       thread of its own ({@code <service>-<peer>}) that runs the service's handler and closes the socket after it.
 *   <li>Per connection, services add what the protocol needs: a {@link dev.pandaproxy.net.Relay} copies the
 *       upstream-to-client direction on the connection's thread and client-to-upstream on a second one; an MQTT client
 *       has a writer beside its reader, a camera viewer a reader that only watches for its EOF, an FTP client a command
 *       reader and a thread per transfer.
 *   <li>Per upstream, one virtual thread ({@code <service>-upstream}) runs the loop: wait for demand, connect, run the
 *       session on that thread (it reads the printer), back off, again. While connected, an {@code -idle-watch} thread
 *       waits for the demand to go away and then closes the session.
 *   <li>Per process, one platform daemon thread ({@code pandaproxy-deadlines}) fires expired deadlines.
 * </ul>
 *
 * <p>Clients are not part of the upstream loop, so they stay connected while the printer reboots: camera viewers see a
 * pause, MQTT clients keep their sessions and their requests wait (see {@link dev.pandaproxy.mqtt}).
 *
 * <h2>Backpressure: a slow peer costs only itself</h2>
 *
 * <p>No producer waits for a client. Where one source feeds many clients (camera frames, MQTT messages) it publishes
 * through a {@link dev.pandaproxy.fanout.FanOut} into a bounded mailbox per client; a chamber viewer's or MQTT client's
 * own writer then blocks on that client's socket alone, under a write deadline. Where bytes pass one to one (relays,
 * FTP transfers) the copy is a blocking read-then-write through a fixed buffer, so TCP's flow control carries the
 * backpressure end to end and nothing queues in the proxy beyond that buffer.
 *
 * <h2>Deadlines</h2>
 *
 * <p>A socket read timeout applies per read, so a peer trickling a byte at a time never trips it, and it does not apply
 * to writes at all. A whole step (a TLS handshake and login, one write to a client) is therefore bounded by a
 * {@link dev.pandaproxy.net.Deadline}. Every frame to every chamber viewer is written under one, so opening and closing
 * a deadline only adds it to and removes it from a set; the sweeper thread looks for expired ones every 50 ms and runs
 * their action, usually {@link dev.pandaproxy.net.Sockets#abort}: SO_LINGER 0 and close, because a TLS socket's
 * ordinary close waits for a blocked writer's lock to send {@code close_notify}, which never comes when the peer
 * stopped reading. A read timeout (SO_TIMEOUT) stays where its per-read meaning is the one wanted: silence.
 *
 * <ul>
 *   <li>Login, as a deadline: {@code camera.auth-timeout} (TLS and the 80-byte login), {@code mqtt.connect-timeout}
 *       (TLS and CONNECT), {@code ftp.login-timeout} (the TLS handshake; the FTP session then closes a client still not
 *       logged in with {@code 421}); toward the printer, {@code printer.connect-timeout} bounds connect, TLS and login
 *       of the MQTT and FTP sessions (the chamber client uses it as connect and read timeout).
 *   <li>First byte: a relay whose client speaks first ({@link dev.pandaproxy.net.Relay.FirstWord#CLIENT}) connects the
 *       printer only once the client sent something within {@code relay.first-byte-timeout}, so a silent connection
 *       costs none of the printer's few connection slots.
 *   <li>Idle: {@code relay.idle-timeout} closes a relay quiet in both directions (each side reads with half that as
 *       timeout, and a timeout counts only if the other direction was quiet too: one quiet direction is normal);
 *       {@code ftp.idle-timeout}, judged by the FTP session, which knows about running transfers; an MQTT client silent
 *       for 1.5 times the keep-alive it asked for (if any); toward the printer, {@code camera.read-timeout} and
 *       {@code mqtt.silence-timeout}.
 *   <li>Write, as a deadline on each write: {@code camera.write-timeout}, {@code mqtt.write-timeout} and
 *       {@code ftp.write-timeout} toward clients, {@code mqtt.keep-alive} for the MQTT writer toward the printer.
 *   <li>Others, as deadlines: {@code camera.detect-timeout} for the RTSPS probe of the camera kind, 5 s for a whole
 *       detect handshake (3000/3002), and {@code http.idle-timeout} for an HTTP request's headers after its request
 *       line.
 * </ul>
 *
 * <h2>Connection caps</h2>
 *
 * <p>A {@link dev.pandaproxy.net.Listener} serves at most {@link dev.pandaproxy.net.Listener.Spec#maxConnections()}
 * connections. One over the cap is closed at once, counted and logged, not left in the backlog, so the client fails
 * fast instead of timing out. The caps are {@code mqtt.max-clients}, {@code camera.max-clients} (chamber viewers, or
 * the RTSPS port), {@code ftp.max-clients} (control connections, or each passthrough port) and
 * {@code relay.max-clients} (the RTSP printers' port 6000 tunnel and each extra slicer port); the detect handshake
 * takes 16 per port and ffmpeg's loopback listeners 4. What one connection may hold is bounded by its service
 * (mailboxes, packet and line sizes, subscriptions, queued commands).
 *
 * <h2>Relays</h2>
 *
 * <p>A {@link dev.pandaproxy.net.Relay} copies both ways until both directions ended. An EOF in one direction is passed
 * on as a half-close of the other socket, because FTP and TLS end one side first; when both ended, both sockets close
 * gently (a reset could destroy what the last peer still has to read); a failure on either side aborts both. Each
 * direction is a link of its own, as in toxiproxy: it counts its bytes apart (a service's
 * {@code client_to_upstream_bytes} and {@code upstream_to_client_bytes}) and logs one line when it ends, with its bytes
 * and why: EOF, reset, idle timeout, an error (its message escaped), or the other direction having ended first. A
 * client silent past the first-byte timeout is logged at debug level only, as nothing was relayed.
 *
 * <h2>The one backoff</h2>
 *
 * <p>Every retry waits with {@link dev.pandaproxy.net.Backoff}: the n-th delay is drawn from [cap/2, cap] with cap =
 * min(max, initial &times; 2<sup>n</sup>), so proxies do not hammer a rebooting printer in lock step. The
 * {@link dev.pandaproxy.net.UpstreamLoop} waits with it between printer connection attempts
 * ({@code printer.reconnect.*}) and resets it once a connection proved healthy (the first camera frame, any MQTT
 * message), so a drop after hours of service starts again from a short delay. A connection closed because nobody needs
 * it is no failure: the loop then waits for demand, not for a backoff. The same class spaces the restarts of ffmpeg and
 * MediaMTX, the accept loop's retries after an accept error (50 ms to 1 s: such errors persist, e.g. out of file
 * descriptors, and retrying at once would spin), and the operator's retries.
 *
 * <h2>Peers in logs</h2>
 *
 * <p>One line per event, naming the service and the peer as {@link dev.pandaproxy.net.Peers#describe(java.net.Socket)}
 * writes it ({@code 192.168.1.20:53422}, {@code [fe80::1]:53422}). Text a client chose (MQTT user names, client ids,
 * topics; FTP command lines) goes through {@link dev.pandaproxy.net.LogText#escape}: CR, LF, tab, other control
 * characters and line separators become escapes and a backslash is doubled, so the text can neither forge a log line
 * nor drive a terminal; it is cut after 256 characters.
 */
package dev.pandaproxy.net;
