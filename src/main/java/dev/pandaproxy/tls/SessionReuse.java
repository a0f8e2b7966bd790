package dev.pandaproxy.tls;

import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.SSLSession;

/**
 * Whether an FTPS data connection continues its control connection's TLS session, as vsftpd's
 * {@code require_ssl_reuse} and the printer demand.
 *
 * <p>A client resumes either by session id (the data connection's session then has the control
 * session's id) or with a session ticket (RFC 5077). On a ticket the server echoes whatever id the
 * client sent, so ids differ: OpenSSL, and so Node and Python, send a fresh random one. The JDK restores
 * a ticket's session with the original session's creation time and peer address and port, though — the
 * port of the client's control connection, which no other connection can have while that one is open.
 * A full handshake instead records the data connection's own peer (or none, on an engine made without
 * one) and a creation time of now. So equal ids, or an equal peer and creation time, mean the data
 * connection resumed this control session, and nothing else does.
 */
public final class SessionReuse {
    private SessionReuse() {}

    /** Whether {@code data} is {@code control} resumed, by session id or by ticket. */
    public static boolean resumes(SSLSession data, SSLSession control) {
        if (Arrays.equals(data.getId(), control.getId()) && control.getId().length > 0) {
            return true;
        }
        return data.getCreationTime() == control.getCreationTime()
                && data.getPeerPort() == control.getPeerPort()
                && control.getPeerPort() > 0
                && hostOf(data).equals(hostOf(control))
                && data.getCipherSuite().equals(control.getCipherSuite());
    }

    /** A restored ticket names an unknown host "", where the session it came from said null. */
    private static String hostOf(SSLSession session) {
        return Objects.requireNonNullElse(session.getPeerHost(), "");
    }
}
