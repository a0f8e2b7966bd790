package dev.pandaproxy.config;

import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The text of a configuration file the project writes (the proxy's, in the operator's ConfigMap; MediaMTX's; the
 * demo's), from a tree of maps, lists, strings, numbers and booleans. Through Jackson 3, which the operator loads for
 * fabric8 anyway: one Jackson per process.
 */
public final class YamlText {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // access codes are often all digits ("01234567"): unquoted, YAML would read a number and lose the zero
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private YamlText() {}

    public static String of(Map<String, ?> tree) {
        return YAML.writeValueAsString(tree);
    }
}
