package dev.pandaproxy.packaging;

import io.helidon.config.EnvironmentVariables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the project README documents, as the packaging tests compare it with the files they check: the commands of its
 * shell blocks, the keys of its configuration reference, and the environment variables a user may set.
 */
final class Readme {
    static final Path FILE = Path.of("README.md");
    private static final Pattern SHELL_BLOCK = Pattern.compile("(?ms)^[ \\t]*```sh\\n(.*?)^[ \\t]*```");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| (`[^|]+) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*(?:_dash_[A-Z0-9_]+)*)(?:=[^`]*)?`");

    private Readme() {}

    static String text() {
        return Manifests.read(FILE);
    }

    /** The commands of the README's {@code sh} blocks (also those indented in a list) that {@link Command} knows. */
    static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        Matcher blocks = SHELL_BLOCK.matcher(text());
        while (blocks.find()) {
            commands.addAll(Command.in(blocks.group(1)));
        }
        return commands;
    }

    /** The keys of the configuration reference, with the table's shorthand ({@code proxy.ports.chamber}, {@code .mqtt}) expanded. */
    static Set<String> configurationKeys() {
        Set<String> keys = new LinkedHashSet<>();
        Matcher rows = TABLE_ROW.matcher(text());
        while (rows.find()) {
            String previous = null;
            Matcher codes = CODE.matcher(rows.group(1));
            while (codes.find()) {
                String key = codes.group(1);
                if (key.startsWith(".") && previous != null) {
                    key = previous.substring(0, previous.lastIndexOf('.')) + key;
                }
                if (key.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+")) {
                    keys.add(key);
                    previous = key;
                }
            }
        }
        return keys;
    }

    /**
     * Whether the README documents the environment variable {@code name}: named in it ({@code PRINTER_IP},
     * {@code COMPOSE_PROFILES}), or the variable of a key of its configuration reference by its naming rule
     * ({@code CAMERA_DETECT_dash_TIMEOUT}), as the proxy's configuration reads the environment.
     */
    static boolean documentsVariable(String name) {
        Matcher named = VARIABLE.matcher(text());
        while (named.find()) {
            if (named.group(1).equals(name)) {
                return true;
            }
        }
        Map<String, String> expanded = EnvironmentVariables.expand(Map.of(name, ""));
        return configurationKeys().stream().anyMatch(expanded::containsKey);
    }
}
