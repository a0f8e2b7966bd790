package dev.pandaproxy.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.pandaproxy.status.ProxyStatus;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/** {@code /status}: a JSON snapshot of the proxy (never contains the access code). */
final class StatusService implements HttpService {
    /**
     * Instants as ISO-8601 text, an empty optional as {@code null} and a present one as its value: what Jackson's
     * {@code jsr310} and {@code jdk8} modules would write, for the three types the status and the page use, without
     * the ~100 classes those modules load (the proxy's footprint, issue 15; the operator, which reads this JSON back,
     * registers the modules).
     */
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("status")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(new OptionalAsValue())
                    .addSerializer(new OptionalDoubleAsValue()))
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

    @SuppressWarnings({"rawtypes", "unchecked"}) // Optional's content type is known only per value
    private static final class OptionalAsValue extends StdSerializer<Optional> {
        OptionalAsValue() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional value, JsonGenerator out, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(value.orElse(null), out);
        }
    }

    private static final class OptionalDoubleAsValue extends StdSerializer<OptionalDouble> {
        OptionalDoubleAsValue() {
            super(OptionalDouble.class);
        }

        @Override
        public void serialize(OptionalDouble value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (value.isPresent()) {
                out.writeNumber(value.getAsDouble());
            } else {
                out.writeNull();
            }
        }
    }
}
