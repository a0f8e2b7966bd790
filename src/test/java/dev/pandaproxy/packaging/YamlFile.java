package dev.pandaproxy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A YAML file that is not a Kubernetes object (a workflow, a Compose file, Chart.yaml) as plain maps and lists, read by
 * SnakeYAML as GitHub and Compose read it: anchors and merge keys ({@code <<: *proxy}) resolved, a key given twice an
 * error. YAML 1.1 reads the bare key {@code on} as {@code true}; {@link #get} finds it under either.
 */
final class YamlFile {
    private YamlFile() {}

    static Map<String, Object> load(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new SafeConstructor(options)).load(Manifests.read(file));
        assertThat(document).as("%s holds a YAML mapping", file).isInstanceOf(Map.class);
        return map(document, file.toString());
    }

    /** The node at {@code path} (map keys and list indexes), or null where there is none. */
    static Object get(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.containsKey(step) ? map.get(step) : "on".equals(step) ? map.get(Boolean.TRUE) : null;
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String what) {
        assertThat(node).as("%s is a mapping", what).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String what) {
        assertThat(node).as("%s is a list", what).isInstanceOf(List.class);
        return (List<Object>) node;
    }
}
