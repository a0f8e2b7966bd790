package dev.pandaproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every key the loader reads is in the README's configuration reference, so a new setting cannot go undocumented. */
class ConfigReferenceTest {
    /** A key in a table row's first cell: {@code `proxy.ports.chamber`}, or {@code `.mqtt`} for a sibling. */
    private static final Pattern CELL_KEY = Pattern.compile("`(\\.?[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*)`");

    @Test
    void everyKeyTheLoaderReadsIsDocumented() throws IOException {
        // the keys a load reads are the keys a file may set: the loader rejects every other
        ConfigLoader loader = ConfigLoader.of(new ConfigLoader.Sources(
                Optional.empty(),
                Map.of("printer.host", "127.0.0.1", "printer.serial", "01P00A000000001", "printer.access-code", "x"),
                Map.of(),
                Map.of()));
        loader.proxyConfig();
        Set<String> read = loader.keysRead();
        assertThat(read).as("keys the loader read").hasSizeGreaterThan(60).contains("mqtt.users", "relay.max-clients");
        assertThat(documentedKeys()).containsAll(read);
    }

    /** The keys named in the first cell of each row of README's "Configuration reference" tables. */
    private static Set<String> documentedKeys() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration reference");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> keys = new LinkedHashSet<>();
        for (String row : section.lines().filter(line -> line.startsWith("| `")).toList()) {
            String firstCell = row.substring(1, row.indexOf('|', 1));
            String previous = null;
            Matcher cell = CELL_KEY.matcher(firstCell);
            while (cell.find()) {
                String key = cell.group(1);
                if (key.startsWith(".") && previous != null) {
                    key = previous.substring(0, previous.lastIndexOf('.')) + key;
                }
                keys.add(key);
                previous = key;
            }
        }
        return keys;
    }
}
