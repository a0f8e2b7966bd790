package dev.pandaproxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "printer.host", "192.168.1.50", "printer.serial", "01P00A000000001", "printer.access-code", "12345678");

    @TempDir
    Path dir;

    @Test
    void defaultsMatchThePrinter() {
        ProxyConfig config = load(REQUIRED, Map.of(), null);
        assertThat(config.printer().ports()).isEqualTo(new ServicePorts(6000, 8883, 990, 322));
        assertThat(config.proxy().ports()).isEqualTo(new ServicePorts(6000, 8883, 990, 322));
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.proxy().bind()).isEqualTo("0.0.0.0");
        assertThat(config.proxy().services()).containsExactly(Service.CAMERA);
        assertThat(config.printer().trust()).isEqualTo(TrustMode.PIN);
        assertThat(config.camera().onDemand()).isTrue();
        assertThat(config.camera().linger()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.http().cameraAuth()).isTrue();
        assertThat(config.proxy().stateDir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/pandaproxy"));
    }

    @Test
    void withNothingButThePrinterEveryPartHasTheDefaultsTheReadmeDocuments() {
        ProxyConfig config = ConfigLoader.of(new ConfigLoader.Sources(
                        Optional.empty(), REQUIRED, Map.of("XDG_STATE_HOME", dir.toString()), Map.of()))
                .proxyConfig();
        assertThat(config.printer())
                .isEqualTo(new PrinterConfig(
                        "192.168.1.50",
                        "01P00A000000001",
                        config.printer().accessCode(), // a Secret has no equals
                        new ServicePorts(6000, 8883, 990, 322),
                        TrustMode.PIN,
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ofSeconds(10),
                        new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(30))));
        assertThat(config.proxy())
                .isEqualTo(new ListenConfig(
                        "0.0.0.0",
                        EnumSet.of(Service.CAMERA),
                        new ServicePorts(6000, 8883, 990, 322),
                        2021,
                        3000,
                        3002,
                        Optional.empty(),
                        dir.resolve("pandaproxy"),
                        new ServerTlsConfig(Optional.empty(), Optional.empty(), List.of())));
        assertThat(config.camera())
                .isEqualTo(new CameraConfig(
                        CameraConfig.Mode.AUTO,
                        Duration.ofSeconds(5),
                        new CameraConfig.Rtsp(
                                "ffmpeg", "mediamtx", "127.0.0.1", 8554, 9997, 8322, 8888, 0, Optional.empty(), ""),
                        true,
                        Duration.ofSeconds(10),
                        64,
                        Duration.ofSeconds(10),
                        10_000_000,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5)));
        assertThat(config.mqtt())
                .isEqualTo(new MqttConfig(
                        List.of(),
                        1 << 20,
                        16 << 10,
                        64,
                        32,
                        1000,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        32,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(5),
                        true,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(30),
                        false));
        assertThat(config.ftp())
                .isEqualTo(new FtpConfig(
                        FtpConfig.Mode.PROXY,
                        16,
                        2,
                        Duration.ofSeconds(60),
                        Optional.empty(),
                        false,
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        true,
                        Duration.ofSeconds(60),
                        4096,
                        new FtpConfig.PortRange(50000, 50100)));
        assertThat(config.slicer())
                .isEqualTo(new SlicerConfig(
                        false,
                        List.of(),
                        2021,
                        Duration.ofSeconds(10),
                        " (proxy)",
                        false,
                        false,
                        new FtpConfig.PortRange(2024, 2026),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(config.http()).isEqualTo(new HttpConfig(8080, 8443, true, false, 32, 128, Duration.ofSeconds(20)));
        assertThat(config.loginThrottle())
                .isEqualTo(new LoginThrottleConfig(
                        5, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofHours(1), 10_000));
        assertThat(config.relay()).isEqualTo(new RelayConfig(Duration.ofSeconds(10), Duration.ofMinutes(5), 16));
    }

    @Test
    void derivedDefaultsFollowWhatTheyDependOn() {
        Map<String, String> settings = new HashMap<>(REQUIRED);
        settings.put("proxy.services", "mqtt,ftp");
        settings.put("proxy.bind", "127.0.0.1");
        settings.put("slicer.discovery", "true");
        ProxyConfig config = load(settings, Map.of(), null);
        assertThat(config.mqtt().rewritePrinterIp()).as("with FTP proxied").isTrue();
        assertThat(config.proxy().advertiseAddress())
                .as("a specific bind address")
                .contains("127.0.0.1");
        assertThat(config.slicer().detect()).as("as slicer.discovery").isTrue();
    }

    @Test
    void everyDocumentedYamlKeyIsRead() throws IOException {
        Path ca = Files.writeString(dir.resolve("bambu.pem"), "not parsed here");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Path file = yaml("""
                printer:
                  host: 10.0.0.7
                  serial: 00M09A350100123
                  access-code: abcd1234
                  ports: {chamber: 16000, mqtt: 18883, ftp: 10990, rtsp: 10322}
                  trust: ca
                  ca-file: %s
                  connect-timeout: 3s
                  reconnect: {initial: 500ms, max: 1m}
                proxy:
                  bind: 127.0.0.1
                  services: [camera, mqtt]
                  ports: {chamber: 6001, mqtt: 8884, ftp: 991, rtsp: 323, http: 9090}
                  state-dir: %s
                  tls: {cert: %s, key: %s, names: [printer.lan, 10.0.0.8]}
                camera:
                  mode: rtsp
                  detect-timeout: 3s
                  ffmpeg: /opt/ffmpeg/bin/ffmpeg
                  mediamtx: /opt/mediamtx
                  helper-address: 127.0.0.9
                  publish-port: 18554
                  mediamtx-api-port: 19997
                  mediamtx-rtsps-port: 18323
                  mediamtx-hls-port: 18888
                  bridge-port: 18322
                  publisher-password: s3cret-publisher
                  model: N7
                  on-demand: false
                  linger: PT30S
                  max-clients: 5
                  auth-timeout: 2s
                  max-frame-size: 2MiB
                  read-timeout: 7s
                  write-timeout: 9s
                  snapshot-timeout: 4s
                http:
                  camera-auth: false
                  max-streams: 3
                """.formatted(ca, dir.resolve("state"), cert, key));
        ProxyConfig config = load(Map.of(), Map.of(), file);
        assertThat(config.printer().host()).isEqualTo("10.0.0.7");
        assertThat(config.printer().serial()).isEqualTo("00M09A350100123");
        assertThat(config.printer().accessCode().matches("abcd1234")).isTrue();
        assertThat(config.printer().ports()).isEqualTo(new ServicePorts(16000, 18883, 10990, 10322));
        assertThat(config.printer().trust()).isEqualTo(TrustMode.CA);
        assertThat(config.printer().caFile()).contains(ca);
        assertThat(config.printer().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.printer().reconnect())
                .isEqualTo(new BackoffConfig(Duration.ofMillis(500), Duration.ofMinutes(1)));
        assertThat(config.proxy().bind()).isEqualTo("127.0.0.1");
        assertThat(config.proxy().services()).containsExactlyInAnyOrder(Service.CAMERA, Service.MQTT);
        assertThat(config.proxy().ports()).isEqualTo(new ServicePorts(6001, 8884, 991, 323));
        assertThat(config.http().port()).isEqualTo(9090);
        assertThat(config.proxy().stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.proxy().tls())
                .isEqualTo(
                        new ServerTlsConfig(Optional.of(cert), Optional.of(key), List.of("printer.lan", "10.0.0.8")));
        assertThat(config.camera())
                .isEqualTo(new CameraConfig(
                        CameraConfig.Mode.RTSP,
                        Duration.ofSeconds(3),
                        // a Secret has no equals: its value is checked below
                        new CameraConfig.Rtsp(
                                "/opt/ffmpeg/bin/ffmpeg",
                                "/opt/mediamtx",
                                "127.0.0.9",
                                18554,
                                19997,
                                18323,
                                18888,
                                18322,
                                config.camera().rtsp().publisherPassword(),
                                "N7"),
                        false,
                        Duration.ofSeconds(30),
                        5,
                        Duration.ofSeconds(2),
                        2 * 1024 * 1024,
                        Duration.ofSeconds(7),
                        Duration.ofSeconds(9),
                        Duration.ofSeconds(4)));
        assertThat(config.http()).isEqualTo(new HttpConfig(9090, 8443, false, false, 3, 128, Duration.ofSeconds(20)));
        assertThat(config.camera().rtsp().publisherPassword())
                .hasValueSatisfying(password ->
                        assertThat(password.matches("s3cret-publisher")).isTrue());
    }

    @Test
    void flagsBeatTheOriginalVariablesWhichBeatAnyKeyVariableWhichBeatsTheFile() throws IOException {
        Path file = yaml("""
                printer: {host: from-file, serial: FILE0000000001, access-code: file-code}
                proxy: {bind: 127.0.0.3, ports: {http: 1111}}
                camera: {linger: 1s}
                """);
        Map<String, String> env = Map.of(
                "PRINTER_IP",
                "10.0.0.2",
                "PRINTER_HOST",
                "10.0.0.3",
                "SERIAL_NUMBER",
                "ENV00000000001",
                "PROXY_PORTS_HTTP",
                "2222",
                "CAMERA_LINGER",
                "2s");
        ProxyConfig config = load(Map.of("printer.host", "10.0.0.1"), env, file);
        assertThat(config.printer().host()).as("flag").isEqualTo("10.0.0.1");
        assertThat(config.printer().serial()).as("PandaProxy variable").isEqualTo("ENV00000000001");
        assertThat(config.http().port()).as("any key as a variable").isEqualTo(2222);
        assertThat(config.camera().linger()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.printer().accessCode().matches("file-code"))
                .as("file")
                .isTrue();
        assertThat(config.proxy().bind()).isEqualTo("127.0.0.3");

        assertThat(load(Map.of(), env, file).printer().host())
                .as("PRINTER_IP beats PRINTER_HOST")
                .isEqualTo("10.0.0.2");
    }

    @Test
    void theOriginalVariablesWork() {
        Map<String, String> env = Map.of(
                "PRINTER_IP",
                "192.168.0.9",
                "ACCESS_CODE",
                "87654321",
                "SERIAL_NUMBER",
                "01S00C000000009",
                "BIND_ADDRESS",
                "127.0.0.1",
                "SERVICES",
                "mqtt, ftp");
        ProxyConfig config = load(Map.of(), env, null);
        assertThat(config.printer().host()).isEqualTo("192.168.0.9");
        assertThat(config.printer().accessCode().matches("87654321")).isTrue();
        assertThat(config.proxy().bind()).isEqualTo("127.0.0.1");
        assertThat(config.proxy().services()).containsExactlyInAnyOrder(Service.MQTT, Service.FTP);

        Map<String, String> all = new HashMap<>(env);
        all.put("ENABLE_ALL", "true");
        assertThat(load(Map.of(), all, null).proxy().services()).isEqualTo(EnumSet.allOf(Service.class));
    }

    @Test
    void valuesAreTakenAsWrittenSoNoVariableSlipsIntoASecret() throws IOException {
        Path file = yaml("""
                printer: {host: 192.168.1.50, serial: 01P00A000000001, access-code: "pa${printer.host}ss"}
                camera: {publisher-password: "${HOME}"}
                """);
        ProxyConfig config = load(Map.of(), Map.of("HOME", "/home/someone"), file);
        assertThat(config.printer().accessCode().matches("pa${printer.host}ss")).isTrue();
        assertThat(config.camera().rtsp().publisherPassword())
                .hasValueSatisfying(
                        password -> assertThat(password.matches("${HOME}")).isTrue());
    }

    @Test
    void theAccessCodeNeverPrints() {
        ProxyConfig config = load(REQUIRED, Map.of(), null);
        assertThat(config.toString()).doesNotContain("12345678").contains("********");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            proxy.services        | camera,webcam | unknown service 'webcam' in proxy.services (--services, SERVICES): use a comma-separated list of camera, mqtt, ftp
            proxy.ports.mqtt      | 70000         | proxy.ports.mqtt = 70000: not a port number (0-65535; 0 picks a free port)
            printer.ports.chamber | 0             | printer.ports.chamber = 0: not a port number (1-65535)
            proxy.ports.http      | eighty        | proxy.ports.http = 'eighty': not a port number
            printer.trust         | tofu          | printer.trust = 'tofu': use pin, ca or insecure
            printer.trust         | ca            | printer.trust = ca needs printer.ca-file (a PEM bundle such as the Bambu CA file)
            camera.linger         | soon          | camera.linger = 'soon': not a duration (use e.g. 500ms, 10s, 5m or PT10S)
            camera.max-frame-size | 10 parsecs    | camera.max-frame-size = '10 parsecs': not a size (use e.g. 65536, 512KiB, 10MB or 1MiB)
            camera.max-clients    | 0             | camera.max-clients = 0: must be at least 1
            camera.on-demand      | maybe         | camera.on-demand = 'maybe': use true or false
            camera.mode           | webcam        | camera.mode (--camera) = 'webcam': use auto, chamber, rtsp or none
            camera.helper-address | 0.0.0.0       | camera.helper-address = '0.0.0.0': MediaMTX must listen on loopback; use an address 127.x.y.z
            camera.helper-address | 127.0.0.256   | camera.helper-address = '127.0.0.256': MediaMTX must listen on loopback; use an address 127.x.y.z
            printer.serial        | ../etc        | printer.serial (-s/--serial-number, SERIAL_NUMBER) = '../etc': a serial number has only letters and digits (as on the printer's label)
            printer.ca-file       | /nonexistent  | printer.ca-file = /nonexistent: cannot read the file (check the path and its permissions)
            proxy.tls.cert        | /etc/hostname | proxy.tls.cert and proxy.tls.key go together: set both or neither
            proxy.bind            | no.such.host.invalid | proxy.bind (-b/--bind, BIND_ADDRESS) = 'no.such.host.invalid': not an address of this machine or a known host name
            """)
    void badValuesNameTheKeyAndTheFix(String key, String value, String message) {
        Map<String, String> settings = new HashMap<>(REQUIRED);
        settings.put(key, value);
        assertThatThrownBy(() -> load(settings, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            printer.host        | missing printer address: set -p/--printer-ip, PRINTER_IP or printer.host in the config file
            printer.serial      | missing printer serial number: set -s/--serial-number, SERIAL_NUMBER or printer.serial in the config file
            printer.access-code | missing printer access code: set -a/--access-code, ACCESS_CODE or printer.access-code in the config file
            """)
    void missingRequiredValuesSayHowToSetThem(String key, String message) {
        Map<String, String> settings = new HashMap<>(REQUIRED);
        settings.remove(key);
        assertThatThrownBy(() -> load(settings, Map.of(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> load(REQUIRED, Map.of(), missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config " + missing + ": cannot read the file (check the path and its permissions)");
    }

    @Test
    void invalidYamlIsNamed() throws IOException {
        Path file = yaml("printer: [unclosed\n");
        assertThatThrownBy(() -> load(REQUIRED, Map.of(), file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--config " + file + ": not valid YAML (");
    }

    @Test
    void aMistypedKeyIsAnErrorNotASilentDefault() throws IOException {
        Path file = yaml("camera:\n  lingr: 5s\n");
        assertThatThrownBy(() -> load(REQUIRED, Map.of(), file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config " + file
                        + ": unknown key 'camera.lingr' (see the configuration reference in the README)");
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("config-" + System.nanoTime() + ".yaml"), text);
    }

    private static ProxyConfig load(Map<String, String> flags, Map<String, String> env, Path file) {
        return ConfigLoader.of(new ConfigLoader.Sources(Optional.ofNullable(file), flags, env, Map.of()))
                .proxyConfig();
    }
}
