package dev.pandaproxy.config;

import io.helidon.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed, validated reads of the merged configuration. Each record binds its own keys through one of these
 * ({@code MqttConfig.from(reader)}), with its defaults written there, so every key has its default in one place.
 *
 * <p>A bad value becomes a {@link ConfigException} naming the key and the flags or variables that also set it. Every
 * key read is remembered, so the loader can reject the file's keys that nothing reads.
 */
final class ConfigReader {
    private final Config node;
    private final Map<String, List<String>> aliases;
    private final Set<String> keysRead;

    /**
     * @param node     the configuration (or a part of it, for the entries of a list)
     * @param aliases  the flags and environment variables that set a key, by key, for messages
     * @param keysRead where each key read is recorded
     */
    ConfigReader(Config node, Map<String, List<String>> aliases, Set<String> keysRead) {
        this.node = node;
        this.aliases = aliases;
        this.keysRead = keysRead;
    }

    /** The value of {@code key}, stripped; a YAML list reads as its items joined by commas. Blank reads as absent. */
    Optional<String> string(String key) {
        keysRead.add(key);
        Config value = node.get(key);
        if (value.type() == Config.Type.LIST) {
            return Optional.of(String.join(",", value.asList(String.class).get()));
        }
        return value.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The value of {@code key} exactly as written: a password keeps its spaces. */
    Optional<String> verbatim(String key) {
        keysRead.add(key);
        return node.get(key).asString().asOptional();
    }

    String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    /** A value without which nothing works; the message says every way to set it. */
    String required(String key, String what) {
        return string(key).orElseThrow(() -> {
            List<String> ways = aliases.getOrDefault(key, List.of());
            return new ConfigException("missing " + what + ": set "
                    + (ways.isEmpty() ? "" : String.join(", ", ways) + " or ")
                    + key + " in the config file");
        });
    }

    /** A comma-separated list (or a YAML list). */
    List<String> list(String key, List<String> fallback) {
        return string(key)
                .map(s -> Arrays.stream(s.split(","))
                        .map(String::strip)
                        .filter(v -> !v.isEmpty())
                        .toList())
                .orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return string(key)
                .map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new ConfigException(describe(key) + " = '" + v + "': use true or false");
                })
                .orElse(fallback);
    }

    /** A port number; {@code allowZero} for a listening port, where 0 picks a free one. */
    int port(String key, int fallback, boolean allowZero) {
        int port = parse(key, fallback, Integer::parseInt, "a port number");
        int min = allowZero ? 0 : 1;
        if (port < min || port > 65_535) {
            throw new ConfigException(describe(key) + " = " + port + ": not a port number (" + min + "-65535"
                    + (allowZero ? "; 0 picks a free port" : "") + ")");
        }
        return port;
    }

    int positive(String key, int fallback) {
        int value = parse(key, fallback, Integer::parseInt, "a whole number");
        if (value < 1) {
            throw new ConfigException(describe(key) + " = " + value + ": must be at least 1");
        }
        return value;
    }

    Duration duration(String key, Duration fallback) {
        return string(key).map(v -> Units.duration(describe(key), v)).orElse(fallback);
    }

    /** A size in bytes, at least 1. */
    long bytes(String key, long fallback) {
        long value = string(key).map(v -> Units.bytes(describe(key), v)).orElse(fallback);
        if (value < 1) {
            throw new ConfigException(describe(key) + " = " + value + ": must be at least 1 byte");
        }
        return value;
    }

    /** A file that must exist and be readable now, so a wrong path fails at start and not at first use. */
    Optional<Path> readableFile(String key) {
        return string(key).map(path -> {
            Path p = Path.of(path);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new ConfigException(
                        key + " = " + path + ": cannot read the file (check the path and its permissions)");
            }
            return p;
        });
    }

    /** {@code address} (the value of {@code key}) when it is an address or a host name that resolves. */
    String address(String key, String address) {
        try {
            InetAddress.getByName(address);
            return address;
        } catch (UnknownHostException e) {
            throw new ConfigException(
                    describe(key) + " = '" + address + "': not an address of this machine or a known host name");
        }
    }

    /**
     * The entries of the list {@code key} (e.g. {@code mqtt.users}), each read on its own; reading the list accepts
     * every key below it.
     */
    List<ConfigReader> entries(String key) {
        keysRead.add(key);
        return node.get(key).asNodeList().orElse(List.of()).stream()
                .map(entry -> new ConfigReader(entry, Map.of(), new HashSet<>()))
                .toList();
    }

    /** Where this reader reads, for messages about an entry of a list: {@code mqtt.users.0}. */
    String where() {
        return node.key().toString();
    }

    /** {@code key} with the flags and variables that also set it, e.g. {@code proxy.bind (-b/--bind, BIND_ADDRESS)}. */
    String describe(String key) {
        List<String> ways = aliases.getOrDefault(key, List.of());
        return ways.isEmpty() ? key : key + " (" + String.join(", ", ways) + ")";
    }

    private <T> T parse(String key, T fallback, Function<String, T> parser, String what) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(text.get());
        } catch (RuntimeException e) {
            throw new ConfigException(describe(key) + " = '" + text.get() + "': not " + what);
        }
    }
}
