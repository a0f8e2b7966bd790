package dev.pandaproxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.tls.Fingerprint;
import dev.pandaproxy.tls.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, one-line errors, the {@code ca} command. */
class MainTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    @Test
    void missingPrinterSettingsGiveOneLineAndExitCode2() {
        Run run = run(Map.of(), "proxy", "--state-dir", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("pandaproxy: missing printer address: set -p/--printer-ip, PRINTER_IP or "
                        + "printer.host in the config file\n");
    }

    @Test
    void anUnknownServiceGivesOneLine() {
        Run run = run(
                Map.of("PRINTER_IP", "127.0.0.1", "ACCESS_CODE", "12345678", "SERIAL_NUMBER", "01P00A000000001"),
                "proxy",
                "--services",
                "camera,printer",
                "--state-dir",
                dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("pandaproxy: unknown service 'printer' in proxy.services (--services, SERVICES): "
                        + "use a comma-separated list of camera, mqtt, ftp\n");
    }

    @Test
    void anUnknownOptionGivesOneLine() {
        Run run = run(Map.of(), "proxy", "--printer", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err())
                .startsWith("pandaproxy: Unknown options: '--printer'")
                .contains("pandaproxy proxy --help");
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run(
                    Map.of("PROXY_PORTS_CHAMBER", String.valueOf(taken.getLocalPort())),
                    "proxy",
                    "-p",
                    "127.0.0.1",
                    "-a",
                    "12345678",
                    "-s",
                    "01P00A000000001",
                    "-b",
                    "127.0.0.1",
                    "--camera",
                    "chamber",
                    "--state-dir",
                    dir.toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err())
                    .isEqualTo("pandaproxy: proxy.ports.chamber = " + taken.getLocalPort()
                            + " on 127.0.0.1: the port is in use (stop the other program or choose another port)\n");
        }
    }

    @Test
    void anUnreadableConfigFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        Run run = run(Map.of(), "proxy", "--config", missing.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("pandaproxy: --config " + missing
                        + ": cannot read the file (check the path and its permissions)\n");
    }

    @Test
    void versionIsPrinted() {
        Run run = run(Map.of(), "-V");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("pandaproxy ").contains("Java ");
        assertThat(run(Map.of(), "proxy", "--version").out()).isEqualTo(run.out());
    }

    @Test
    void caPrintsTheSameCertificateEveryTimeWithItsFingerprint() throws Exception {
        Run first = run(Map.of(), "ca", "--state-dir", dir.toString());
        assertThat(first.exitCode()).isZero();
        X509Certificate ca = Pem.parseCertificates(first.out()).getFirst();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(first.err()).startsWith("SHA-256 fingerprint " + Fingerprint.sha256(ca));
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(first.out());
        assertThat(run(Map.of(), "ca", "--state-dir", dir.toString()).out()).isEqualTo(first.out());
    }

    @Test
    void caFindsTheStateDirectoryInTheConfigFile() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "proxy:\n  state-dir: " + dir.resolve("from-file") + "\n");
        assertThat(run(Map.of(), "ca", "--config", file.toString()).exitCode()).isZero();
        assertThat(dir.resolve("from-file/ca.pem")).exists();
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
