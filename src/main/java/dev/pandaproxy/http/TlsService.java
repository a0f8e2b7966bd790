package dev.pandaproxy.http;

import dev.pandaproxy.tls.Pem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.security.cert.X509Certificate;
import java.util.List;

/** {@code /tls/ca.pem}: the proxy CA that clients import to trust the proxy. Public, no authentication. */
final class TlsService implements HttpService {
    private final String pem;

    TlsService(X509Certificate ca) {
        this.pem = Pem.encode(List.of(ca));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(
                "/ca.pem",
                (request, response) -> response.header(HeaderNames.CONTENT_TYPE, "application/x-pem-file")
                        .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"pandaproxy-ca.pem\"")
                        .send(pem));
    }
}
