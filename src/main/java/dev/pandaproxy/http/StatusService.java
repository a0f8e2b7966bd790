package dev.pandaproxy.http;

import dev.pandaproxy.json.Json;
import dev.pandaproxy.status.ProxyStatus;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.function.Supplier;

/** {@code /status}: a JSON snapshot of the proxy (never contains the access code). */
final class StatusService implements HttpService {
    private final Supplier<ProxyStatus> status;

    StatusService(Supplier<ProxyStatus> status) {
        this.status = status;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(
                "/",
                (request, response) -> response.header(HeaderNames.CONTENT_TYPE, "application/json")
                        .header(HeaderNames.CACHE_CONTROL, "no-store")
                        .send(Json.pretty(Json.of(status.get()))));
    }
}
