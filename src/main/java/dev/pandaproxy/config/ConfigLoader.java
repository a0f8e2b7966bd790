package dev.pandaproxy.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;
import io.helidon.config.spi.ConfigSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one way configuration is loaded: command-line flags, then the environment variables of the
 * original Python PandaProxy, then any key as an environment variable ({@code CAMERA_LINGER} answers
 * {@code camera.linger}), then the YAML file, then the caller's defaults, then built-in defaults.
 *
 * <p>Every value is validated here; a bad one becomes a {@link ConfigException} naming the key (and
 * its flag or variable, where it has one). A key in the YAML file that nothing reads is an error too,
 * so a typo never silently falls back to a default.
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

    /** The largest packet MQTT's remaining-length encoding can announce. */
    private static final long MQTT_MAX_PACKET = 268_435_455;

    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Config config;
    private final Optional<Config> fileConfig;
    private final Optional<Path> file;
    private final Map<String, String> env;
    private final Set<String> keysRead = new LinkedHashSet<>();

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
        this.config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(layers)
                .build();
    }

    /** A loader over {@code sources}; reads the file now so an unreadable file fails first. */
    public static ConfigLoader of(Sources sources) {
        return new ConfigLoader(sources);
    }

    /** The full proxy configuration, validated. */
    public ProxyConfig proxyConfig() {
        PrinterConfig printer = printer();
        ListenConfig listen = listen();
        CameraConfig camera = camera();
        MqttConfig mqtt = mqtt(listen);
        FtpConfig ftp = ftp();
        SlicerConfig slicer = slicer();
        HttpConfig http = new HttpConfig(
                port("proxy.ports.http", 8080, true),
                port("proxy.ports.https", 8443, true),
                bool("http.camera-auth", true),
                bool("http.plain-camera", false),
                positive("http.max-streams", 32),
                positive("http.max-connections", 128),
                duration("http.idle-timeout", Duration.ofSeconds(20)));
        LoginThrottleConfig loginThrottle = loginThrottle();
        RelayConfig relay = new RelayConfig(
                duration("relay.first-byte-timeout", Duration.ofSeconds(10)),
                duration("relay.idle-timeout", Duration.ofMinutes(5)),
                positive("relay.max-clients", 16));
        rejectUnknownFileKeys();
        return new ProxyConfig(printer, listen, camera, mqtt, ftp, slicer, http, loginThrottle, relay);
    }

    /** The state directory alone (for {@code pandaproxy ca}). */
    public Path stateDir() {
        return string("proxy.state-dir").map(Path::of).orElseGet(() -> defaultStateDir(env));
    }

    private PrinterConfig printer() {
        String host = required("printer.host", "printer address");
        String serial = required("printer.serial", "printer serial number");
        if (!SERIAL.matcher(serial).matches()) {
            throw new ConfigException(describe("printer.serial") + " = '" + serial
                    + "': a serial number has only letters and digits (as on the printer's label)");
        }
        Secret code = Secret.of(required("printer.access-code", "printer access code"));
        ServicePorts ports = new ServicePorts(
                port("printer.ports.chamber", ServicePorts.PRINTER.chamber(), false),
                port("printer.ports.mqtt", ServicePorts.PRINTER.mqtt(), false),
                port("printer.ports.ftp", ServicePorts.PRINTER.ftp(), false),
                port("printer.ports.rtsp", ServicePorts.PRINTER.rtsp(), false));
        TrustMode trust = string("printer.trust")
                .map(t -> TrustMode.parse(t, "printer.trust"))
                .orElse(TrustMode.PIN);
        Optional<Path> caFile = string("printer.ca-file").map(p -> readableFile("printer.ca-file", p));
        if (trust == TrustMode.CA && caFile.isEmpty()) {
            throw new ConfigException(
                    "printer.trust = ca needs printer.ca-file (a PEM bundle such as the Bambu CA file)");
        }
        Optional<Path> knownPins = string("printer.known-pins").map(Path::of);
        BackoffConfig reconnect = new BackoffConfig(
                duration("printer.reconnect.initial", Duration.ofSeconds(1)),
                duration("printer.reconnect.max", Duration.ofSeconds(30)));
        if (reconnect.max().compareTo(reconnect.initial()) < 0) {
            throw new ConfigException("printer.reconnect.max must not be shorter than printer.reconnect.initial");
        }
        return new PrinterConfig(
                host,
                serial,
                code,
                ports,
                trust,
                caFile,
                knownPins,
                duration("printer.connect-timeout", Duration.ofSeconds(10)),
                reconnect);
    }

    /** {@code camera.helper-address}: an IPv4 loopback address, where nobody but this host can reach MediaMTX. */
    private String helperAddress() {
        String address = string("camera.helper-address").orElse("127.0.0.1");
        if (!address.matches("127\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})")
                || java.util.Arrays.stream(address.split("\\.")).anyMatch(part -> Integer.parseInt(part) > 255)) {
            throw new ConfigException(describe("camera.helper-address") + " = '" + address
                    + "': MediaMTX must listen on loopback; use an address 127.x.y.z");
        }
        return address;
    }

    private ListenConfig listen() {
        String bind = string("proxy.bind").orElse("0.0.0.0");
        checkAddress("proxy.bind", bind);
        Set<Service> services = EnumSet.noneOf(Service.class);
        if (bool("proxy.enable-all", false)) {
            services.addAll(EnumSet.allOf(Service.class));
        } else {
            for (String name : list("proxy.services", List.of("camera"))) {
                services.add(Service.parse(name, describe("proxy.services")));
            }
        }
        if (services.isEmpty()) {
            throw new ConfigException(
                    describe("proxy.services") + " is empty: enable at least one of " + Service.allIds());
        }
        ServicePorts ports = new ServicePorts(
                port("proxy.ports.chamber", ServicePorts.PRINTER.chamber(), true),
                port("proxy.ports.mqtt", ServicePorts.PRINTER.mqtt(), true),
                port("proxy.ports.ftp", ServicePorts.PRINTER.ftp(), true),
                port("proxy.ports.rtsp", ServicePorts.PRINTER.rtsp(), true));
        Optional<Path> cert = string("proxy.tls.cert").map(p -> readableFile("proxy.tls.cert", p));
        Optional<Path> key = string("proxy.tls.key").map(p -> readableFile("proxy.tls.key", p));
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException("proxy.tls.cert and proxy.tls.key go together: set both or neither");
        }
        // clients use the bind address when it is a specific one; with a wildcard each service finds its own
        Optional<String> advertise = string("proxy.advertise-address")
                .or(() -> bind.equals("0.0.0.0") || bind.equals("::") ? Optional.empty() : Optional.of(bind));
        advertise.ifPresent(a -> checkAddress("proxy.advertise-address", a));
        return new ListenConfig(
                bind,
                services,
                ports,
                port("proxy.ports.discovery", 2021, true),
                port("proxy.ports.detect", 3000, true),
                port("proxy.ports.detect-tls", 3002, true),
                advertise,
                stateDir(),
                new ServerTlsConfig(cert, key, list("proxy.tls.names", List.of())));
    }

    private CameraConfig camera() {
        CameraConfig.Mode mode = switch (string("camera.mode").orElse("auto").toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> CameraConfig.Mode.AUTO;
            case "chamber" -> CameraConfig.Mode.CHAMBER;
            case "rtsp" -> CameraConfig.Mode.RTSP;
            case "none" -> CameraConfig.Mode.NONE;
            default ->
                throw new ConfigException(describe("camera.mode") + " = '"
                        + string("camera.mode").orElse("") + "': use auto, chamber, rtsp or none");
        };
        return new CameraConfig(
                mode,
                duration("camera.detect-timeout", Duration.ofSeconds(5)),
                new CameraConfig.Rtsp(
                        string("camera.ffmpeg").orElse("ffmpeg"),
                        string("camera.mediamtx").orElse("mediamtx"),
                        helperAddress(),
                        port("camera.publish-port", 8554, true),
                        port("camera.mediamtx-api-port", 9997, true),
                        port("camera.mediamtx-rtsps-port", 8322, true),
                        port("camera.mediamtx-hls-port", 8888, true),
                        port("camera.bridge-port", 0, true),
                        string("camera.publisher-password").map(Secret::of),
                        string("camera.model").orElse("")),
                bool("camera.on-demand", true),
                duration("camera.linger", Duration.ofSeconds(10)),
                positive("camera.max-clients", 64),
                duration("camera.auth-timeout", Duration.ofSeconds(10)),
                (int) Math.min(Integer.MAX_VALUE - 8, bytes("camera.max-frame-size", 10_000_000)),
                duration("camera.read-timeout", Duration.ofSeconds(20)),
                duration("camera.write-timeout", Duration.ofSeconds(30)),
                duration("camera.snapshot-timeout", Duration.ofSeconds(5)));
    }

    private MqttConfig mqtt(ListenConfig listen) {
        List<MqttConfig.MqttUser> users = new ArrayList<>();
        keysRead.add("mqtt.users");
        for (Config user : config.get("mqtt.users").asNodeList().orElse(List.of())) {
            String where = "mqtt.users." + user.name();
            String name =
                    user.get("name").asString().orElseThrow(() -> new ConfigException(where + ".name is missing"));
            if (name.equals("bblp")) {
                throw new ConfigException(where + ".name = bblp: bblp always logs in with the printer's access code");
            }
            String password = user.get("password")
                    .asString()
                    .orElseThrow(() -> new ConfigException(where + ".password is missing"));
            String role = user.get("role").asString().orElse("read-only");
            users.add(new MqttConfig.MqttUser(
                    name,
                    Secret.of(password),
                    switch (role) {
                        case "read-only" -> MqttConfig.Role.READ_ONLY;
                        case "control" -> MqttConfig.Role.CONTROL;
                        default ->
                            throw new ConfigException(where + ".role = '" + role + "': use read-only or control");
                    }));
        }
        return new MqttConfig(
                List.copyOf(users),
                (int) Math.min(MQTT_MAX_PACKET, bytes("mqtt.max-packet-size", 1 << 20)),
                (int) Math.min(MQTT_MAX_PACKET, bytes("mqtt.max-connect-size", 16 << 10)),
                positive("mqtt.max-clients", 64),
                positive("mqtt.max-subscriptions", 32),
                positive("mqtt.client-queue", 1000),
                duration("mqtt.connect-timeout", Duration.ofSeconds(10)),
                duration("mqtt.write-timeout", Duration.ofSeconds(30)),
                positive("mqtt.request-queue", 32),
                duration("mqtt.request-ttl", Duration.ofSeconds(30)),
                duration("mqtt.pushall-interval", Duration.ofMinutes(5)),
                bool("mqtt.full-state-on-subscribe", true),
                duration("mqtt.silence-timeout", Duration.ofSeconds(60)),
                duration("mqtt.keep-alive", Duration.ofSeconds(30)),
                bool("mqtt.rewrite-printer-ip", listen.services().contains(Service.FTP)));
    }

    private SlicerConfig slicer() {
        boolean discovery = bool("slicer.discovery", false);
        return new SlicerConfig(
                discovery,
                list("slicer.interfaces", List.of()),
                port("slicer.announce-port", 2021, false),
                duration("slicer.announce-interval", Duration.ofSeconds(10)),
                string("slicer.name-suffix").orElse(" (proxy)"),
                bool("slicer.detect", discovery),
                bool("slicer.extra-ports", false),
                FtpConfig.PortRange.parse(
                        "slicer.extra-port-range",
                        string("slicer.extra-port-range").orElse("2024-2026")),
                string("slicer.model"),
                string("slicer.name"),
                string("slicer.version"));
    }

    private LoginThrottleConfig loginThrottle() {
        LoginThrottleConfig throttle = new LoginThrottleConfig(
                positive("login-throttle.free-failures", 5),
                duration("login-throttle.initial-block", Duration.ofSeconds(2)),
                duration("login-throttle.max-block", Duration.ofMinutes(10)),
                duration("login-throttle.forget-after", Duration.ofHours(1)),
                positive("login-throttle.max-sources", 10_000));
        if (throttle.maxBlock().compareTo(throttle.initialBlock()) < 0
                || throttle.initialBlock().isZero()) {
            throw new ConfigException(
                    "login-throttle.initial-block must be positive and not longer than login-throttle.max-block");
        }
        return throttle;
    }

    private FtpConfig ftp() {
        FtpConfig.Mode mode = switch (string("ftp.mode").orElse("proxy").toLowerCase(java.util.Locale.ROOT)) {
            case "proxy" -> FtpConfig.Mode.PROXY;
            case "passthrough" -> FtpConfig.Mode.PASSTHROUGH;
            default ->
                throw new ConfigException(
                        "ftp.mode = '" + string("ftp.mode").orElse("") + "': use proxy or passthrough");
        };
        String printerData = string("ftp.printer-data").orElse("private");
        if (!printerData.equals("private") && !printerData.equals("clear")) {
            throw new ConfigException(
                    "ftp.printer-data = '" + printerData + "': use private (PROT P) or clear (PROT C)");
        }
        return new FtpConfig(
                mode,
                positive("ftp.max-clients", 16),
                positive("ftp.printer-sessions", 2),
                duration("ftp.queue-timeout", Duration.ofSeconds(60)),
                string("ftp.passive-ports").map(r -> FtpConfig.PortRange.parse("ftp.passive-ports", r)),
                printerData.equals("clear"),
                duration("ftp.idle-timeout", Duration.ofMinutes(5)),
                duration("ftp.login-timeout", Duration.ofSeconds(30)),
                duration("ftp.write-timeout", Duration.ofSeconds(30)),
                bool("ftp.require-session-reuse", true),
                duration("ftp.data-timeout", Duration.ofSeconds(60)),
                positive("ftp.max-line", 4096),
                FtpConfig.PortRange.parse(
                        "ftp.passthrough-ports", string("ftp.passthrough-ports").orElse("50000-50100")));
    }

    // ---- typed readers; each records the key so unknown file keys can be found ----

    private Optional<String> string(String key) {
        keysRead.add(key);
        Config node = config.get(key);
        if (node.type() == Config.Type.LIST) {
            return Optional.of(String.join(",", node.asList(String.class).get()));
        }
        return node.asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
    }

    private String required(String key, String what) {
        return string(key)
                .orElseThrow(() -> new ConfigException("missing " + what + ": set "
                        + Optional.ofNullable(FLAGS.get(key)).map(f -> f + ", ").orElse("")
                        + legacyVariable(key).map(v -> v + " or ").orElse("")
                        + key + " in the config file"));
    }

    private List<String> list(String key, List<String> fallback) {
        return string(key)
                .map(s -> Arrays.stream(s.split(","))
                        .map(String::strip)
                        .filter(v -> !v.isEmpty())
                        .toList())
                .orElse(fallback);
    }

    private boolean bool(String key, boolean fallback) {
        return string(key)
                .map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new ConfigException(describe(key) + " = '" + v + "': use true or false");
                })
                .orElse(fallback);
    }

    private int port(String key, int fallback, boolean allowZero) {
        int port = parse(key, fallback, Integer::parseInt, "a port number");
        int min = allowZero ? 0 : 1;
        if (port < min || port > 65_535) {
            throw new ConfigException(describe(key) + " = " + port + ": not a port number (" + min + "-65535"
                    + (allowZero ? "; 0 picks a free port" : "") + ")");
        }
        return port;
    }

    private int positive(String key, int fallback) {
        int value = parse(key, fallback, Integer::parseInt, "a whole number");
        if (value < 1) {
            throw new ConfigException(describe(key) + " = " + value + ": must be at least 1");
        }
        return value;
    }

    private Duration duration(String key, Duration fallback) {
        return string(key).map(v -> Units.duration(describe(key), v)).orElse(fallback);
    }

    private long bytes(String key, long fallback) {
        long value = string(key).map(v -> Units.bytes(describe(key), v)).orElse(fallback);
        if (value < 1) {
            throw new ConfigException(describe(key) + " = " + value + ": must be at least 1 byte");
        }
        return value;
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

    private static Path readableFile(String key, String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(
                    key + " = " + path + ": cannot read the file (check the path and its permissions)");
        }
        return p;
    }

    private void checkAddress(String key, String address) {
        try {
            InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException(
                    describe(key) + " = '" + address + "': not an address of this machine or a known host name");
        }
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
            Config parsed = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.file(path))
                    .build();
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

    private static Optional<String> legacyVariable(String key) {
        return LEGACY_ENV.entrySet().stream()
                .filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** {@code key} with the flag and variable that also set it, e.g. {@code proxy.bind (-b/--bind, BIND_ADDRESS)}. */
    private static String describe(String key) {
        List<String> aliases = new ArrayList<>();
        Optional.ofNullable(FLAGS.get(key)).ifPresent(aliases::add);
        legacyVariable(key).ifPresent(aliases::add);
        return aliases.isEmpty() ? key : key + " (" + String.join(", ", aliases) + ")";
    }
}
