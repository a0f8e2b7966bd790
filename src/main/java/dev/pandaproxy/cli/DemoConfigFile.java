package dev.pandaproxy.cli;

import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.config.YamlText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Writes the demo's settings as a YAML file, so {@code pandaproxy doctor --config} can check the demo. */
final class DemoConfigFile {
    private static final String HEADER = "# written by pandaproxy demo: the demo's settings, for pandaproxy doctor\n";

    private DemoConfigFile() {}

    /** Writes {@code settings} (dotted keys) as nested YAML and returns the file. */
    static Path write(Path file, Map<String, String> settings) {
        Map<String, Object> tree = new TreeMap<>();
        settings.forEach((key, value) -> put(tree, key.split("\\."), 0, value));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, HEADER + YamlText.of(tree), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] path, int index, String value) {
        if (index == path.length - 1) {
            tree.put(path[index], value);
        } else {
            put(
                    (Map<String, Object>) tree.computeIfAbsent(path[index], k -> new TreeMap<String, Object>()),
                    path,
                    index + 1,
                    value);
        }
    }
}
