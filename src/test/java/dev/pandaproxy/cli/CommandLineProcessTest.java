package dev.pandaproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pandaproxy} as a separate process: the demo a newcomer runs, and errors only a real process shows. */
class CommandLineProcessTest {
    @TempDir
    Path dir;

    @Test
    void theDemoServesTheCameraAndStopsCleanlyOnSigterm() throws Exception {
        int httpPort = freePort();
        int httpsPort = freePort();
        // offsets that keep every port below the kernel's ephemeral range (32768+), where another
        // program's outgoing connection could hold one of them
        Process demo = JavaProcess.start(
                List.of(),
                Map.of(),
                dir,
                "demo",
                "--state-dir",
                dir.resolve("state").toString(),
                "--http-port",
                String.valueOf(httpPort),
                "--https-port",
                String.valueOf(httpsPort),
                "--printer-offset",
                "22000",
                "--proxy-offset",
                "23000");
        try {
            List<String> instructions = new ArrayList<>();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine();
                        line != null && !line.startsWith("Press Ctrl+C");
                        line = out.readLine()) {
                    instructions.add(line);
                }
                String text = String.join("\n", instructions);
                assertThat(text)
                        .as("the demo's instructions; its log:%n%s", Files.readString(dir.resolve("stderr.log")))
                        .contains("https://127.0.0.1:" + httpsPort + "/camera/stream.mjpeg")
                        .contains("127.0.0.1:29000") // chamber camera: 6000 + 23000
                        .contains("access code 12345678");

                HttpResponse<byte[]> snapshot = HttpClient.newBuilder()
                        .sslContext(Fixtures.trustingCa(dir.resolve("state")))
                        .build()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("https://127.0.0.1:" + httpsPort + "/camera/snapshot.jpg"))
                                        .header(
                                                "Authorization",
                                                "Basic "
                                                        + Base64.getEncoder()
                                                                .encodeToString("bblp:12345678".getBytes()))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(snapshot.statusCode()).isEqualTo(200);
                assertThat(snapshot.body()).startsWith(0xFF, 0xD8, 0xFF, 0xE0);

                // the demo's own check, as its instructions suggest
                StringWriter doctor = new StringWriter();
                int doctorExit = Main.execute(
                        new String[] {
                            "doctor",
                            "--config",
                            dir.resolve("state/demo-proxy.yaml").toString()
                        },
                        Map.of(),
                        new PrintWriter(doctor, true),
                        new PrintWriter(new StringWriter(), true));
                assertThat(doctorExit).as(doctor.toString()).isZero();
                assertThat(doctor.toString().lines())
                        .hasSize(7)
                        .allSatisfy(line -> assertThat(line).startsWith("OK"));

                demo.destroy(); // SIGTERM
                assertThat(demo.waitFor(20, TimeUnit.SECONDS))
                        .as("stops within 20 s")
                        .isTrue();
                assertThat(demo.exitValue()).isEqualTo(143);
            }
            String log = Files.readString(dir.resolve("stderr.log"));
            assertThat(log)
                    .contains("camera: connected to the printer at 127.0.0.1:28000")
                    .doesNotContain("12345678") // logs never show the access code
                    .doesNotContain("Exception");
            try (ServerSocket reused = new ServerSocket(httpPort)) {
                assertThat(reused.getLocalPort()).as("HTTP port released").isEqualTo(httpPort);
            }
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void aPrivilegedPortWithoutTheRightToBindIsAConfigurationError() throws Exception {
        List<String> prefix = unprivileged();
        Path config = Files.writeString(dir.resolve("low-port.yaml"), """
                proxy:
                  bind: 127.0.0.1
                  ports: {chamber: 990, http: 0}
                camera: {mode: chamber}
                """);
        Process proxy = JavaProcess.start(
                prefix,
                Map.of("PRINTER_IP", "127.0.0.1", "ACCESS_CODE", "12345678", "SERIAL_NUMBER", "01P00A000000001"),
                dir,
                "proxy",
                "--config",
                config.toString(),
                "--state-dir",
                dir.resolve("state").toString());
        assertThat(proxy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.log"));
        assertThat(proxy.exitValue()).as(err).isEqualTo(2);
        assertThat(err)
                .isEqualTo("pandaproxy: proxy.ports.chamber = 990: no permission to bind a port below 1024; "
                        + "run as root, grant CAP_NET_BIND_SERVICE (e.g. setcap cap_net_bind_service=+ep on the java binary; "
                        + "the container image has it), or choose a port of 1024 or more\n");
    }

    /** A command prefix that takes away the right to bind ports below 1024, or skips where that is impossible. */
    private static List<String> unprivileged() throws IOException {
        // read line by line: the JDK trusts the size /proc reports and would read one byte
        int unprivilegedStart =
                Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
                        .getFirst()
                        .strip());
        Assumptions.assumeTrue(unprivilegedStart > 990, "this kernel lets anyone bind port 990");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            return List.of();
        }
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(
                Files.isExecutable(setpriv), "setpriv (util-linux) is needed to drop the capability as root");
        return List.of(setpriv.toString(), "--bounding-set", "-net_bind_service", "--");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
