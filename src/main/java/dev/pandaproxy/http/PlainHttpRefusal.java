package dev.pandaproxy.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.IntSupplier;

/**
 * The paths that take the printer's access code (the camera, the page) on the plain HTTP listener: plain HTTP would
 * show it to anyone on the way, so they answer 403 with the HTTPS address instead (unless {@code http.plain-camera}).
 * The credentials a client may have sent anyway are not looked at.
 */
final class PlainHttpRefusal implements HttpService {
    private final IntSupplier httpsPort;

    PlainHttpRefusal(IntSupplier httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::refuse);
    }

    void refuse(ServerRequest request, ServerResponse response) {
        String host = request.requestedUri().host();
        String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpsPort.getAsInt()
                + request.requestedUri().path().rawPath();
        response.status(Status.FORBIDDEN_403)
                .header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .send("This path needs the access code, which plain HTTP would expose: use " + url
                        + " (the proxy's certificate is issued by the CA at /tls/ca.pem). Set http.plain-camera: true "
                        + "to allow plain HTTP on a network you trust.\n");
    }
}
