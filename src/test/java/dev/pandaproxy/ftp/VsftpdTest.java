package dev.pandaproxy.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.FtpClients;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.testing.Vsftpd;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real vsftpd with {@code require_ssl_reuse=YES} stands in for the printer: the proxy's data connections
 * must resume its control session, or vsftpd refuses them ("522 … session reuse required").
 */
class VsftpdTest {
    private static final int FIRST_PASSIVE = 39_200;
    private static final int LAST_PASSIVE = 39_210;

    @TempDir
    Path dir;

    private Vsftpd printer;

    @BeforeEach
    void startVsftpd() throws Exception {
        printer = Vsftpd.start(
                dir,
                CertificateAuthority.generate("printer CA")
                        .issue(Fixtures.SERIAL, SubjectNames.forServer(Fixtures.SERIAL, "127.0.0.1", List.of())),
                FIRST_PASSIVE,
                LAST_PASSIVE);
    }

    @AfterEach
    void stopVsftpd() throws Exception {
        if (printer != null) { // null where vsftpd is missing and the test was skipped
            printer.close();
        }
    }

    @Test
    void twentyMegabytesGoUpAndComeBackIdenticalWithEveryDataConnectionResumed() throws Exception {
        byte[] content = new byte[20_000_000];
        new Random(7).nextBytes(content);
        try (PandaProxy proxy = Fixtures.proxy(settings("127.0.0.1", "proxy"))) {
            FTPSClient client =
                    FtpClients.commonsNet(proxy.ftp().orElseThrow().port(), dir.resolve("state/ca.pem"), Fixtures.CODE);
            assertThat(client.storeFile("big.gcode.3mf", new ByteArrayInputStream(content)))
                    .isTrue();
            assertThat(sha256(Files.readAllBytes(printer.root().resolve("big.gcode.3mf"))))
                    .isEqualTo(sha256(content));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            assertThat(client.retrieveFile("big.gcode.3mf", back)).isTrue();
            assertThat(sha256(back.toByteArray())).isEqualTo(sha256(content));
            assertThat(client.listNames()).contains("big.gcode.3mf");
            assertThat(client.deleteFile("big.gcode.3mf")).isTrue();
            assertThat(client.listNames()).doesNotContain("big.gcode.3mf");
            client.disconnect();
        }
        assertThat(printer.log()).contains("226 Transfer complete").doesNotContain("session reuse required");
    }

    @Test
    void curlAndLftpThroughTheProxy() throws Exception {
        Path curl = RealPeers.require("curl");
        Path lftp = RealPeers.require("lftp");
        Path upload = Files.write(dir.resolve("upload.bin"), new byte[300_000]);
        try (PandaProxy proxy = Fixtures.proxy(settings("127.0.0.1", "proxy"))) {
            String base = "ftps://127.0.0.1:" + proxy.ftp().orElseThrow().port() + "/";
            String ca = dir.resolve("state/ca.pem").toString();
            Programs.run(
                    curl.toString(),
                    "-sS",
                    "--cacert",
                    ca,
                    "-u",
                    "bblp:" + Fixtures.CODE,
                    "-T",
                    upload.toString(),
                    base + "curl.bin");
            assertThat(Files.mismatch(upload, printer.root().resolve("curl.bin")))
                    .isEqualTo(-1);
            String listing = Programs.run(
                    lftp.toString(),
                    "-u",
                    "bblp," + Fixtures.CODE,
                    "-e",
                    "set ftp:ssl-force true; set ssl:ca-file " + ca + "; set net:max-retries 1; ls; rm curl.bin; bye",
                    base);
            assertThat(listing).contains("curl.bin");
            assertThat(printer.root().resolve("curl.bin")).doesNotExist();
        }
    }

    @Test
    void aWrongPasswordNeverReachesThePrinter() throws Exception {
        try (PandaProxy proxy = Fixtures.proxy(settings("127.0.0.1", "proxy"))) {
            var options = Fixtures.trustingProxy(dir.resolve("state"));
            try (FtpClients.Raw client =
                    new FtpClients.Raw(options, proxy.ftp().orElseThrow().port())) {
                client.read();
                client.send("USER bblp");
                assertThat(client.send("PASS wrong").code()).isEqualTo(530);
            }
        }
        assertThat(printer.log()).as("no command reached the printer").doesNotContain("FTP command");
    }

    @Test
    void passthroughRelaysTheControlPortAndThePassivePorts() throws Exception {
        Path curl = RealPeers.require("curl");
        Path upload = Files.write(dir.resolve("upload.bin"), new byte[100_000]);
        // the proxy on another loopback address, so it can listen on the printer's own passive ports
        Map<String, String> settings = settings("127.0.0.2", "passthrough");
        try (PandaProxy proxy = Fixtures.proxy(settings)) {
            String url = "ftps://127.0.0.2:" + proxy.ftp().orElseThrow().port() + "/passthrough.bin";
            // TLS goes end to end: the client sees the printer's own certificate
            Programs.run(curl.toString(), "-sS", "-k", "-u", "bblp:" + Fixtures.CODE, "-T", upload.toString(), url);
            assertThat(Files.mismatch(upload, printer.root().resolve("passthrough.bin")))
                    .isEqualTo(-1);
        }
    }

    private Map<String, String> settings(String bind, String mode) {
        Map<String, String> settings = new HashMap<>();
        settings.put("printer.host", "127.0.0.1");
        settings.put("printer.serial", Fixtures.SERIAL);
        settings.put("printer.access-code", Fixtures.CODE);
        settings.put("printer.ports.ftp", String.valueOf(printer.port()));
        settings.put("printer.trust", "insecure");
        settings.put("proxy.bind", bind);
        settings.put("proxy.services", "ftp");
        settings.put("proxy.state-dir", dir.resolve("state").toString());
        settings.put("proxy.ports.ftp", "0");
        settings.put("proxy.ports.http", "0");
        settings.put("ftp.mode", mode);
        settings.put("ftp.passthrough-ports", FIRST_PASSIVE + "-" + LAST_PASSIVE);
        return settings;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
