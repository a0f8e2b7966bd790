package dev.pandaproxy.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pandaproxy.status.ProxyStatus;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.function.Supplier;

/** {@code /status}: a JSON snapshot of the proxy (never contains the access code). */
final class StatusService implements HttpService {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

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
                        .send(json(status.get())));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status is not serialisable", e);
        }
    }
}
