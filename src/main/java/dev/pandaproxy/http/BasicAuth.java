package dev.pandaproxy.http;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.status.ServiceStats;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** HTTP Basic authentication with the printer's credentials: user {@code bblp}, the access code as password. */
final class BasicAuth {
    private static final String USER = "bblp";

    private final String service;
    private final Secret accessCode;
    private final boolean enabled;
    private final LoginThrottle throttle;
    private final ServiceStats stats;

    BasicAuth(String service, Secret accessCode, boolean enabled, LoginThrottle throttle, ServiceStats stats) {
        this.service = service;
        this.accessCode = accessCode;
        this.enabled = enabled;
        this.throttle = throttle;
        this.stats = stats;
    }

    /**
     * Whether the request may proceed; if not, a 401 challenge (or, for a source that failed too often, a 429)
     * has been sent.
     */
    boolean admit(ServerRequest request, ServerResponse response) {
        if (!enabled) {
            return true;
        }
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            // a request without credentials is the browser asking for the challenge, not a failed login
            InetSocketAddress peer = (InetSocketAddress) request.remotePeer().address();
            switch (throttle.check(peer.getAddress(), service, () -> credentialsMatch(header.get()))) {
                case LoginThrottle.Verdict.Admitted admitted -> {
                    return true;
                }
                case LoginThrottle.Verdict.Rejected rejected -> stats.authFailed();
                case LoginThrottle.Verdict.Throttled throttled -> {
                    stats.loginThrottled();
                    response.status(Status.TOO_MANY_REQUESTS_429)
                            .header(HeaderNames.RETRY_AFTER, String.valueOf(throttled.retryAfterSeconds()))
                            .send("too many failed logins from your address; try again in "
                                    + throttled.retryAfterSeconds() + " s\n");
                    return false;
                }
            }
        }
        response.status(Status.UNAUTHORIZED_401)
                .header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"PandaProxy\", charset=\"UTF-8\"")
                .send("user bblp and the printer's access code required\n");
        return false;
    }

    private boolean credentialsMatch(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        // evaluate both parts so timing does not reveal which one was wrong
        boolean userMatches = USER.equals(decoded.substring(0, colon));
        boolean codeMatches = accessCode.matches(decoded.substring(colon + 1));
        return userMatches & codeMatches;
    }
}
