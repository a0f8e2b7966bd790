package dev.pandaproxy.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Whether a live object already holds every field of a desired one, as a pure function over their JSON trees. The
 * live object may have more (defaults, status, other managers' fields); lists must match element by element, so a
 * removed or added container counts as a difference.
 */
final class LiveObjects {
    private LiveObjects() {}

    /** Both objects as the client sends them: through its own serialization, whose introspection is made already. */
    static boolean contains(HasMetadata live, HasMetadata desired, KubernetesSerialization serialization) {
        return contains(
                serialization.convertValue(live, JsonNode.class), serialization.convertValue(desired, JsonNode.class));
    }

    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (desired.isObject()) {
            if (live == null || !live.isObject()) {
                return desired.isEmpty();
            }
            for (Map.Entry<String, JsonNode> field : desired.properties()) {
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
        return live != null
                && !live.isContainer()
                && !live.isNull()
                && live.asString().equals(desired.asString());
    }
}
