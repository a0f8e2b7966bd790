package dev.pandaproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pandaproxy doctor} against a working installation, and against broken ones. */
class DoctorTest {
    @TempDir
    Path dir;

    @Test
    void aWorkingInstallationPassesEveryCheck() throws Exception {
        try (Installation installation = new Installation()) {
            String report = doctor(installation.settings, 0);
            assertThat(report.lines())
                    .hasSize(7)
                    .allSatisfy(line -> assertThat(line).startsWith("OK"));
            assertThat(report)
                    .contains("discovery  announced as \"Simulated P1S (proxy)\"")
                    .contains("print.net.info points at 127.0.0.1");
        }
    }

    @Test
    void aWrongAccessCodeIsNamed() throws Exception {
        try (Installation installation = new Installation()) {
            Map<String, String> wrong = new HashMap<>(installation.settings);
            wrong.put("printer.access-code", "87654321");
            String report = doctor(wrong, 1);
            assertThat(report)
                    .containsPattern("FAIL mqtt +the proxy refused the MQTT login: check the access code")
                    .containsPattern("FAIL ftps .*530")
                    .containsPattern("FAIL camera +the camera port closed without a frame: check the access code")
                    .containsPattern("OK   detect");
        }
    }

    @Test
    void aProxyThatDoesNotRunIsNamed() throws Exception {
        Map<String, String> settings;
        try (Installation installation = new Installation()) {
            settings = installation.settings;
        }
        String report = doctor(settings, 1);
        assertThat(report)
                .containsPattern("FAIL http +.*Connect|FAIL http +.*connect")
                .containsPattern("FAIL discovery +no announcement of " + Fixtures.SERIAL);
    }

    @Test
    void aCheckThatWaitsInVainEndsAtItsDeadlineSayingWhatItWaitedFor() throws Exception {
        try (Installation installation = new Installation()) {
            // firmware whose reports never carry print.net.info, so the MQTT check's full report never comes
            installation.printer.mqtt().omit("net");
            installation.proxy.close();
            try (PandaProxy restarted = Fixtures.proxy(installation.settings)) {
                String report = assertTimeoutPreemptively(
                        Duration.ofSeconds(60), () -> doctor(installation.settings, 1, "--timeout", "2"));
                assertThat(report)
                        .containsPattern(
                                "FAIL mqtt +gave up after 2 s waiting for a full MQTT report \\(one with print.net.info\\)")
                        .containsPattern("OK   ftps")
                        .containsPattern("OK   camera");
            }
        }
    }

    private String doctor(Map<String, String> settings, int expectedExit, String... options) {
        Path config = DemoConfigFile.write(dir.resolve("doctor-" + System.nanoTime() + ".yaml"), settings);
        StringWriter out = new StringWriter();
        List<String> arguments = new ArrayList<>(List.of("doctor", "--config", config.toString()));
        arguments.addAll(List.of(options));
        int code = Main.execute(
                arguments.toArray(String[]::new),
                Map.of(),
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertThat(code).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    /** A simulated printer announcing itself, and a proxy with every service and the slicer features. */
    private final class Installation implements AutoCloseable {
        final SimulatedPrinter printer;
        final PandaProxy proxy;
        final Map<String, String> settings;

        Installation() throws Exception {
            int discovery = freeUdpPort();
            printer = SimulatedPrinter.start(new SimulatorConfig(
                    "127.0.0.1",
                    Fixtures.SERIAL,
                    Secret.of(Fixtures.CODE),
                    new ServicePorts(0, 0, 0, 0),
                    dir.resolve("printer"),
                    new SimulatorConfig.Camera(5, 0, 64, 36),
                    new SimulatorConfig.Slicer(
                            "C12",
                            "Simulated P1S",
                            "01.07.00.00",
                            Optional.of(new InetSocketAddress("127.0.0.1", discovery)),
                            Duration.ofMillis(200),
                            0,
                            0)));
            Map<String, String> start = Fixtures.settings(printer, dir.resolve("proxy"));
            start.put("proxy.services", "camera,mqtt,ftp");
            start.put("proxy.ports.discovery", String.valueOf(discovery));
            start.put("proxy.ports.detect", "0");
            start.put("proxy.ports.detect-tls", "0");
            start.put("slicer.discovery", "true");
            start.put(
                    "slicer.interfaces",
                    NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress())
                            .getName());
            start.put("slicer.announce-port", String.valueOf(freeUdpPort()));
            start.put("slicer.announce-interval", "1s");
            proxy = Fixtures.proxy(start);
            // the doctor needs the ports the proxy actually bound
            settings = new HashMap<>(start);
            settings.put(
                    "proxy.ports.chamber",
                    String.valueOf(proxy.camera().orElseThrow().port()));
            settings.put(
                    "proxy.ports.mqtt",
                    String.valueOf(proxy.mqtt().orElseThrow().port()));
            settings.put(
                    "proxy.ports.ftp", String.valueOf(proxy.ftp().orElseThrow().port()));
            settings.put("proxy.ports.http", String.valueOf(proxy.httpPort()));
            settings.put(
                    "proxy.ports.detect",
                    String.valueOf(proxy.detect().orElseThrow().plainPort()));
            settings.put(
                    "proxy.ports.detect-tls",
                    String.valueOf(proxy.detect().orElseThrow().tlsPort()));
        }

        @Override
        public void close() {
            proxy.close();
            printer.close();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
