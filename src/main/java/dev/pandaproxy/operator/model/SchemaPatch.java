package dev.pandaproxy.operator.model;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON merge patch (RFC 7386) of the schema crd-generator generated for a class, for what its annotations cannot
 * say (e.g. {@code x-kubernetes-list-type}). The generator's own merge-patch customizer replaces nested objects
 * instead of merging them, which would drop every property the patch does not name. Used by the generator only,
 * while it writes the CRD.
 */
public final class SchemaPatch implements SchemaCustomizer.Customizer {
    @Override
    @SuppressWarnings("unchecked")
    public JSONSchemaProps apply(JSONSchemaProps schema, String patch, KubernetesSerialization serialization) {
        Map<String, Object> merged =
                merge(serialization.convertValue(schema, Map.class), serialization.unmarshal(patch, Map.class));
        return serialization.convertValue(merged, JSONSchemaProps.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else if (value instanceof Map<?, ?> nested && result.get(key) instanceof Map<?, ?> existing) {
                result.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) nested));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }
}
