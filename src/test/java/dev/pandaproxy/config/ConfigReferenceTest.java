package dev.pandaproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every key the loader reads is in the README's configuration reference, so a new setting cannot go undocumented. */
class ConfigReferenceTest {
    /** A typed reader called with a literal key: {@code duration("ftp.data-timeout", …)}. */
    private static final Pattern READ = Pattern.compile(
            "\\b(?:string|bool|duration|positive|port|list|bytes|required|readableFile|add)\\(\\s*\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
    /** A key in a table row's first cell: {@code `proxy.ports.chamber`}, or {@code `.mqtt`} for a sibling. */
    private static final Pattern CELL_KEY = Pattern.compile("`(\\.?[a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)*)`");

    @Test
    void everyKeyTheLoaderReadsIsDocumented() throws IOException {
        Set<String> read = new TreeSet<>();
        Matcher calls =
                READ.matcher(Files.readString(Path.of("src/main/java/dev/pandaproxy/config/ConfigLoader.java")));
        while (calls.find()) {
            read.add(calls.group(1));
        }
        assertThat(read).as("keys found in the loader").hasSizeGreaterThan(60);
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
