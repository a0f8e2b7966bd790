package dev.pandaproxy.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import io.helidon.config.PropertiesConfigParser;
import io.helidon.config.spi.ConfigSource;
import io.helidon.config.yaml.YamlConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one way configuration is loaded: command-line flags, then the environment variables of the
 * original Python PandaProxy, then any key as an environment variable ({@code CAMERA_LINGER} answers
 * {@code camera.linger}), then the YAML file, then the caller's defaults, then built-in defaults.
 *
 * <p>The built-in defaults and the checks of each part live with its record ({@code MqttConfig.from}),
 * which reads its keys through a {@link ConfigReader}; a bad value becomes a {@link ConfigException}
 * naming the key (and its flag or variable, where it has one). A key in the YAML file that nothing
 * reads is an error too, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
    /** Environment variables of the original PandaProxy and the keys they set. */
    static final Map<String, String> LEGACY_ENV = Map.of(
            "PRINTER_IP", "printer.host",
            "ACCESS_CODE", "printer.access-code",
            "SERIAL_NUMBER", "printer.serial",
            "BIND_ADDRESS", "proxy.bind",
            "SERVICES", "proxy.services",
            "ENABLE_ALL", "proxy.enable-all");

    /** Flags that set a key, for error messages. */
    private static final Map<String, String> FLAGS = Map.of(
            "printer.host", "-p/--printer-ip",
            "printer.access-code", "-a/--access-code",
            "printer.serial", "-s/--serial-number",
            "proxy.bind", "-b/--bind",
            "proxy.services", "--services",
            "proxy.enable-all", "--enable-all",
            "camera.mode", "--camera");

    private final Optional<Config> fileConfig;
    private final Optional<Path> file;
    private final Map<String, String> env;
    private final Set<String> keysRead = new LinkedHashSet<>();
    private final ConfigReader reader;

    /**
     * Where configuration comes from.
     *
     * @param file      optional YAML file ({@code --config})
     * @param overrides values from command-line flags, by key; they win over everything
     * @param env       the process environment
     * @param defaults  defaults of the calling command (the demo's ports, say), below the file
     */
    public record Sources(
            Optional<Path> file,
            Map<String, String> overrides,
            Map<String, String> env,
            Map<String, String> defaults) {}

    private ConfigLoader(Sources sources) {
        this.file = sources.file();
        this.env = sources.env();
        this.fileConfig = sources.file().map(ConfigLoader::readFile);
        Map<String, String> legacy = new HashMap<>();
        LEGACY_ENV.forEach((variable, key) -> {
            String value = sources.env().get(variable);
            if (value != null && !value.isBlank()) {
                legacy.put(key, value);
            }
        });
        // earlier sources win
        List<Supplier<? extends ConfigSource>> layers = new ArrayList<>();
        layers.add(ConfigSources.create(sources.overrides(), "command line"));
        layers.add(ConfigSources.create(legacy, "environment (PandaProxy variables)"));
        layers.add(ConfigSources.create(EnvironmentVariables.expand(sources.env()), "environment"));
        fileConfig.ifPresent(c -> layers.add(() -> ConfigSources.create(c)));
        layers.add(ConfigSources.create(sources.defaults(), "defaults"));
        this.reader = new ConfigReader(lean().sources(layers).build(), aliases(), keysRead);
    }

    /** A loader over {@code sources}; reads the file now so an unreadable file fails first. */
    public static ConfigLoader of(Sources sources) {
        return new ConfigLoader(sources);
    }

    /** The full proxy configuration, validated. */
    public ProxyConfig proxyConfig() {
        PrinterConfig printer = PrinterConfig.from(reader);
        ListenConfig listen = ListenConfig.from(reader, defaultStateDir(env));
        CameraConfig camera = CameraConfig.from(reader);
        MqttConfig mqtt = MqttConfig.from(reader, listen.services());
        FtpConfig ftp = FtpConfig.from(reader);
        SlicerConfig slicer = SlicerConfig.from(reader);
        HttpConfig http = HttpConfig.from(reader);
        LoginThrottleConfig loginThrottle = LoginThrottleConfig.from(reader);
        RelayConfig relay = RelayConfig.from(reader);
        rejectUnknownFileKeys();
        return new ProxyConfig(printer, listen, camera, mqtt, ftp, slicer, http, loginThrottle, relay);
    }

    /** The state directory alone (for {@code pandaproxy ca}). */
    public Path stateDir() {
        return ListenConfig.stateDir(reader, defaultStateDir(env));
    }

    /** The keys read so far: after {@link #proxyConfig()}, every key a file may set (a list's key covers its entries). */
    Set<String> keysRead() {
        return Set.copyOf(keysRead);
    }

    /** {@code $XDG_STATE_HOME/pandaproxy}, else {@code ~/.local/state/pandaproxy}. */
    public static Path defaultStateDir(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("pandaproxy");
    }

    private static Config readFile(Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigException(
                    "--config " + path + ": cannot read the file (check the path and its permissions)");
        }
        try {
            Config parsed = lean().sources(ConfigSources.file(path)).build();
            parsed.traverse().count(); // parse now so a syntax error surfaces here
            return parsed;
        } catch (io.helidon.config.ConfigException e) {
            String reason = Optional.ofNullable(rootCause(e).getMessage())
                    .orElse("unreadable")
                    .lines()
                    .findFirst()
                    .orElse("");
            throw new ConfigException("--config " + path + ": not valid YAML (" + reason + ")");
        }
    }

    /**
     * A Helidon Config builder that loads only what these sources need (issue 15: every class costs memory in every
     * proxy pod): the parsers of YAML and Java properties (the two the class path offers) registered here instead of
     * looked up as services; no mappers or filters looked up either, as every value is read as a string and converted
     * by {@link ConfigReader}; no cache of filtered values, as there is no filter; no system properties or process
     * environment of its own, as the environment is a layer above. Keys and values are taken as written: no
     * {@code ${key}} references, which would let an environment variable slip into a password unseen.
     */
    private static Config.Builder lean() {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .disableParserServices()
                .addParser(YamlConfigParser.create())
                .addParser(new PropertiesConfigParser())
                .disableMapperServices()
                .disableFilterServices()
                .disableCaching()
                .disableKeyResolving()
                .disableValueResolving();
    }

    private void rejectUnknownFileKeys() {
        fileConfig.ifPresent(c -> c.traverse()
                .filter(Config::isLeaf)
                .map(n -> n.key().toString())
                .filter(key -> keysRead.stream().noneMatch(known -> key.equals(known) || key.startsWith(known + ".")))
                .findFirst()
                .ifPresent(key -> {
                    throw new ConfigException("--config " + file.orElseThrow() + ": unknown key '" + key
                            + "' (see the configuration reference in the README)");
                }));
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The flag, then the original variable, that set each key that has either. */
    private static Map<String, List<String>> aliases() {
        Map<String, List<String>> aliases = new HashMap<>();
        FLAGS.forEach((key, flag) ->
                aliases.computeIfAbsent(key, k -> new ArrayList<>()).add(flag));
        LEGACY_ENV.forEach((variable, key) ->
                aliases.computeIfAbsent(key, k -> new ArrayList<>()).add(variable));
        return aliases;
    }
}
