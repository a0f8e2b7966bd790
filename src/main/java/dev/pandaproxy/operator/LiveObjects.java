package dev.pandaproxy.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a live object already holds every field of a desired one, as a pure function over their JSON trees. The
 * live object may have more (defaults, status, other managers' fields); lists must match element by element, so a
 * removed or added container counts as a difference.
 */
final class LiveObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveObjects() {}

    static boolean contains(HasMetadata live, HasMetadata desired) {
        try {
            return contains(JSON.readTree(Serialization.asJson(live)), JSON.readTree(Serialization.asJson(desired)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fabric8 wrote JSON that does not parse", e);
        }
    }

    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (desired.isObject()) {
            if (live == null || !live.isObject()) {
                return desired.isEmpty();
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = desired.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!contains(live.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (live == null || !live.isArray()) {
                return desired.isEmpty();
            }
            if (live.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(live.get(i), desired.get(i))) {
                    return false;
                }
            }
            return true;
        }
        // scalars: the API server writes numbers and booleans back as it read them; compare their text
        return live != null && !live.isContainerNode() && live.asText().equals(desired.asText());
    }
}
