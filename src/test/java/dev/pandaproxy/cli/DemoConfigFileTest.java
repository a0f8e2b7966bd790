package dev.pandaproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Service;
import dev.pandaproxy.config.ServicePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file the demo writes for {@code pandaproxy doctor} is read back by the loader as the settings it was given. */
class DemoConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void whatTheDemoWritesLoadsBackAsTheSameSettings() throws Exception {
        Path state = dir.resolve("a dir: with \"quotes\" # and a hash");
        Map<String, String> settings = Map.ofEntries(
                Map.entry("printer.host", "127.0.0.1"),
                Map.entry("printer.serial", "01S00DEMO000001"),
                // digits with a leading zero: unquoted YAML would read the number 1234567
                Map.entry("printer.access-code", "01234567"),
                Map.entry("printer.ports.chamber", "26000"),
                Map.entry("proxy.bind", "127.0.0.1"),
                Map.entry("proxy.services", "camera,mqtt,ftp"),
                Map.entry("proxy.ports.mqtt", "18883"),
                Map.entry("proxy.ports.discovery", "12021"),
                Map.entry("proxy.state-dir", state.toString()),
                Map.entry("slicer.discovery", "true"),
                Map.entry("slicer.interfaces", "lo"),
                Map.entry("slicer.announce-interval", "5s"));

        Path file = DemoConfigFile.write(dir.resolve("demo/demo-proxy.yaml"), settings);

        assertThat(Files.readString(file)).startsWith("# written by pandaproxy demo");
        ProxyConfig config = ConfigLoader.of(new ConfigLoader.Sources(Optional.of(file), Map.of(), Map.of(), Map.of()))
                .proxyConfig();
        assertThat(config.printer().host()).isEqualTo("127.0.0.1");
        assertThat(config.printer().serial()).isEqualTo("01S00DEMO000001");
        assertThat(config.printer().accessCode().matches("01234567")).isTrue();
        assertThat(config.printer().ports())
                .isEqualTo(new ServicePorts(26000, ServicePorts.MQTT, ServicePorts.FTP, ServicePorts.RTSP));
        assertThat(config.proxy().services()).containsExactlyInAnyOrder(Service.CAMERA, Service.MQTT, Service.FTP);
        assertThat(config.proxy().ports().mqtt()).isEqualTo(18883);
        assertThat(config.proxy().discoveryPort()).isEqualTo(12021);
        assertThat(config.proxy().stateDir()).isEqualTo(state);
        assertThat(config.slicer().discovery()).isTrue();
        assertThat(config.slicer().interfaces()).isEqualTo(List.of("lo"));
        assertThat(config.slicer().announceInterval()).isEqualTo(Duration.ofSeconds(5));
    }
}
