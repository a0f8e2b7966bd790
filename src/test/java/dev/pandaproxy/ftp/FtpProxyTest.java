package dev.pandaproxy.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.FtpClients;
import dev.pandaproxy.testing.OpenSslClient;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.tls.EngineTlsStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;

/** The FTPS proxy in front of the simulated printer (which, like vsftpd, demands TLS session reuse). */
class FtpProxyTest extends FtpProxyFixture {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void commonsNetUploadsDownloadsListsAndDeletesTwentyMegabytes() throws Exception {
        byte[] content = random(20_000_000);
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer))) {
            FTPSClient client = FtpClients.commonsNet(port(proxy), ca(), Fixtures.CODE);
            assertThat(client.changeWorkingDirectory("/cache")).isTrue();
            assertThat(client.storeFile("model.gcode.3mf", new ByteArrayInputStream(content)))
                    .isTrue();
            assertThat(client.getReplyCode()).isEqualTo(226);
            assertThat(sha256(Files.readAllBytes(printer.ftp().root().resolve("cache/model.gcode.3mf"))))
                    .isEqualTo(sha256(content));

            ByteArrayOutputStream downloaded = new ByteArrayOutputStream();
            assertThat(client.retrieveFile("model.gcode.3mf", downloaded)).isTrue();
            assertThat(sha256(downloaded.toByteArray())).isEqualTo(sha256(content));
            assertThat(client.listNames()).contains("model.gcode.3mf");
            assertThat(client.deleteFile("model.gcode.3mf")).isTrue();
            assertThat(client.listNames()).doesNotContain("model.gcode.3mf");
            client.logout();
            client.disconnect();
            assertThat(printer.ftp().reuseRefusals())
                    .as("every printer data connection resumed the session")
                    .isZero();
        }
    }

    @Test
    void aClearDataChannelTowardThePrinterCanBeChosen() throws Exception {
        byte[] content = random(1_000_000);
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = ftpSettings(printer);
            settings.put("ftp.printer-data", "clear");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                FTPSClient client = FtpClients.commonsNet(port(proxy), ca(), Fixtures.CODE);
                assertThat(client.storeFile("a1.gcode.3mf", new ByteArrayInputStream(content)))
                        .isTrue();
                client.disconnect();
                assertThat(Files.readAllBytes(printer.ftp().root().resolve("a1.gcode.3mf")))
                        .isEqualTo(content);
                assertThat(printer.ftp().clearTransfers()).isEqualTo(1);
            }
        }
    }

    @Test
    void curlAndLftpWorkThroughTheProxy() throws Exception {
        Path curl = RealPeers.require("curl");
        Path lftp = RealPeers.require("lftp");
        Path upload = Files.write(dir.resolve("upload.bin"), random(300_000));
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer))) {
            String base = "ftps://127.0.0.1:" + port(proxy) + "/";
            Programs.run(
                    curl.toString(),
                    "-sS",
                    "--cacert",
                    ca().toString(),
                    "-u",
                    "bblp:" + Fixtures.CODE,
                    "-T",
                    upload.toString(),
                    base + "curl.bin");
            assertThat(Files.mismatch(upload, printer.ftp().root().resolve("curl.bin")))
                    .isEqualTo(-1);
            Path fetched = dir.resolve("fetched.bin");
            Programs.run(
                    curl.toString(),
                    "-sS",
                    "--cacert",
                    ca().toString(),
                    "-u",
                    "bblp:" + Fixtures.CODE,
                    "-o",
                    fetched.toString(),
                    base + "curl.bin");
            assertThat(Files.mismatch(upload, fetched)).isEqualTo(-1);

            String listing = Programs.run(
                    lftp.toString(),
                    "-u",
                    "bblp," + Fixtures.CODE,
                    "-e",
                    "set ftp:ssl-force true; set ssl:ca-file " + ca() + "; set net:max-retries 1; put " + upload
                            + " -o lftp.bin; ls; rm curl.bin; bye",
                    base);
            assertThat(listing).contains("lftp.bin").contains("curl.bin");
            assertThat(printer.ftp().root().resolve("curl.bin")).doesNotExist();
            assertThat(Files.mismatch(upload, printer.ftp().root().resolve("lftp.bin")))
                    .isEqualTo(-1);
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutTouchingThePrinter() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            assertThat(client.read().code()).isEqualTo(220);
            assertThat(client.send("USER bblp").code()).isEqualTo(331);
            assertThat(client.send("PASS 00000000").code()).isEqualTo(530);
            assertThat(client.send("USER root").code()).isEqualTo(331);
            assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(530);
            assertThat(printer.ftp().logins())
                    .as("no printer session for a failed login")
                    .isZero();
            assertThat(status(proxy).counters()).containsEntry("auth_failures", 2L);
        }
    }

    @Test
    void moreClientsThanPrinterSessionsWaitTheirTurnAndAllSucceed() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer))) {
            List<CompletableFuture<Boolean>> uploads = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String name = "file-" + i + ".bin";
                uploads.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        FTPSClient client = FtpClients.commonsNet(port(proxy), ca(), Fixtures.CODE);
                        boolean stored = client.storeFile(name, new ByteArrayInputStream(random(2_000_000)));
                        client.logout();
                        client.disconnect();
                        return stored;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Boolean> upload : uploads) {
                assertThat(upload.get(2, TimeUnit.MINUTES)).isTrue();
            }
            assertThat(printer.ftp().logins()).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                assertThat(Files.size(printer.ftp().root().resolve("file-" + i + ".bin")))
                        .isEqualTo(2_000_000);
            }
        }
    }

    @Test
    void aPrinterThatVanishesMidUploadIsNeverReportedAsSuccess() throws Exception {
        SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
        try (PandaProxy proxy = Fixtures.proxy(ftpSettings(printer))) {
            FTPSClient client = FtpClients.commonsNet(port(proxy), ca(), Fixtures.CODE);
            OutputStream upload = client.storeFileStream("doomed.gcode.3mf");
            assertThat(upload).isNotNull();
            byte[] chunk = random(256 * 1024);
            upload.write(chunk);
            upload.flush();
            await().atMost(WAIT).until(() -> Files.exists(printer.ftp().root().resolve("doomed.gcode.3mf.part")));
            printer.close(); // the printer dies mid-transfer
            try {
                for (int i = 0; i < 200; i++) {
                    upload.write(chunk);
                }
                upload.close();
            } catch (IOException expected) {
                // the proxy may cut the data connection first
            }
            boolean completed = client.completePendingCommand();
            assertThat(completed)
                    .as("reply " + client.getReplyCode() + " " + client.getReplyString())
                    .isFalse();
            assertThat(client.getReplyCode()).isNotEqualTo(226).isBetween(400, 599);
        } finally {
            printer.close();
        }
    }

    @Test
    void unsupportedAndMalformedCommandsGetClearReplies() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            assertThat(client.read().code()).isEqualTo(220);
            assertThat(client.send("PWD").code()).as("before login").isEqualTo(530);
            assertThat(client.send("FEAT").lines()).contains(" EPSV").doesNotContain(" EPRT");
            assertThat(client.send("AUTH TLS").code()).isEqualTo(503);
            client.send("USER bblp");
            assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
            assertThat(client.send("PROT C").code()).isEqualTo(536);
            assertThat(client.send("PORT 127,0,0,1,4,1").code()).isEqualTo(502);
            assertThat(client.send("EPRT |1|127.0.0.1|1025|").code()).isEqualTo(502);
            assertThat(client.send("SITE CHMOD 777 x").code()).isEqualTo(502);
            assertThat(client.send("12345").code()).isEqualTo(500);
            assertThat(client.send("RETR nothing").code()).as("no PASV yet").isEqualTo(425);
            assertThat(client.send("PWD").code()).as("relayed to the printer").isEqualTo(257);
            assertThat(client.send("STOR " + "x".repeat(5000)).code()).isEqualTo(500);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void everyCommandBeforeLoginIsAnswered530AndTheSessionGoesOn() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            assertThat(client.read().code()).isEqualTo(220);
            for (String command : List.of(
                    "NOOP",
                    "PWD",
                    "CWD /cache",
                    "TYPE I",
                    "PASV",
                    "EPSV",
                    "LIST",
                    "RETR a",
                    "STOR b",
                    "DELE c",
                    "MKD d",
                    "SIZE e",
                    "STAT",
                    "HELP",
                    "OPTS UTF8 ON",
                    "REST 0",
                    "ABOR")) {
                assertThat(client.send(command).code()).as(command).isEqualTo(530);
            }
            client.send("USER bblp");
            assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
            assertThat(client.send("NOOP").code()).as("relayed once logged in").isEqualTo(200);
            assertThat(printer.ftp().logins()).isEqualTo(1);
        }
    }

    @Test
    void anUploadEndedWithCloseNotifyIsClosedCleanlyBeforeThe226() throws Exception {
        byte[] content = random(3_000_000);
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            loginAndBinary(client);
            int dataPort = client.passivePort();
            assertThat(client.send("STOR clean.gcode.3mf").code()).isEqualTo(150);
            try (EngineTlsStream data = client.openData(dataPort)) {
                data.outputStream().write(content);
                data.outputStream().flush();
                data.closeOutput(); // close_notify, then FIN: the end of the file, as basic-ftp and FDM Monster send it
                // ...and then wait for the server's close, as they do: a reset here is a failed upload to them
                assertThat(data.inputStream().read())
                        .as("the server's clean close")
                        .isEqualTo(-1);
            }
            assertThat(client.read().code()).isEqualTo(226);
            assertThat(Files.readAllBytes(printer.ftp().root().resolve("clean.gcode.3mf")))
                    .isEqualTo(content);
        }
    }

    @Test
    void anUploadThatFailsIsCutOffWithAResetAndNeverConfirmed() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            try (PandaProxy proxy = Fixtures.proxy(withDataTimeoutOfOneSecond(printer));
                    FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
                loginAndBinary(client);
                int dataPort = client.passivePort();
                assertThat(client.send("STOR stalled.gcode.3mf").code()).isEqualTo(150);
                EngineTlsStream data = client.openData(dataPort);
                try {
                    data.outputStream().write(random(64 * 1024));
                    data.outputStream().flush();
                    // the client stalls past ftp.data-timeout: a failure, so no close_notify (which means "complete")
                    assertThatThrownBy(() -> data.inputStream().read())
                            .as("an abortive close")
                            .isInstanceOf(IOException.class);
                } finally {
                    data.abort();
                }
                assertThat(client.read().code()).isEqualTo(426);
                assertThat(printer.ftp().root().resolve("stalled.gcode.3mf")).doesNotExist();
            }
        }
    }

    @Test
    void aDownloadToAClientThatStopsReadingIsCutOffAtTheDataTimeoutAndTheSessionGoesOn() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            // more than the loopback socket buffers on both ends hold, so the proxy's writes block
            Files.write(printer.ftp().root().resolve("big.bin"), random(48_000_000));
            Files.writeString(printer.ftp().root().resolve("hello.txt"), "hello");
            try (PandaProxy proxy = Fixtures.proxy(withDataTimeoutOfOneSecond(printer));
                    FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
                loginAndBinary(client);
                int dataPort = client.passivePort();
                assertThat(client.send("RETR big.bin").code()).isEqualTo(150);
                EngineTlsStream stalled = client.openData(dataPort);
                try {
                    // never read: the proxy gives up on the client, not on the printer
                    FtpReply reply = client.read();
                    assertThat(reply.code()).isEqualTo(426);
                    assertThat(reply.text()).contains("took no data").contains("ftp.data-timeout");
                } finally {
                    stalled.abort();
                }
                int next = client.passivePort();
                assertThat(client.send("RETR hello.txt").code()).isEqualTo(150);
                try (EngineTlsStream data = client.openData(next)) {
                    assertThat(new String(data.inputStream().readAllBytes())).isEqualTo("hello");
                }
                assertThat(client.read().code()).isEqualTo(226);
            }
        }
    }

    @Test
    void theSimulatorAcceptsADataConnectionResumedWithATicketAndRefusesAFreshOne() throws Exception {
        Path openssl = RealPeers.require("openssl");
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Files.writeString(printer.ftp().root().resolve("hello.txt"), "hello from the printer");
            // the control connection: OpenSSL, which resumes with the session ticket and a fresh random session id
            Path session = dir.resolve("session.pem");
            try (OpenSslClient control =
                    OpenSslClient.start(openssl, printer.ftp().port(), "-sess_out", session.toString())) {
                assertThat(control.reply()).startsWith("220");
                control.send("USER bblp");
                assertThat(control.reply()).startsWith("331");
                control.send("PASS " + Fixtures.CODE);
                assertThat(control.reply()).startsWith("230");
                for (boolean resume : new boolean[] {true, false}) {
                    control.send("PASV");
                    String pasv = control.reply();
                    int dataPort = FtpCodec.passiveAddress(
                                    new FtpReply(227, pasv.substring(4)), InetAddress.getLoopbackAddress())
                            .getPort();
                    control.send("RETR hello.txt");
                    assertThat(control.reply()).startsWith("150");
                    List<String> options = resume ? List.of("-sess_in", session.toString()) : List.of();
                    try (OpenSslClient data = OpenSslClient.start(openssl, dataPort, options.toArray(String[]::new))) {
                        if (resume) {
                            assertThat(data.remainingOutput()).isEqualTo("hello from the printer");
                            assertThat(control.reply()).startsWith("226");
                        } else {
                            assertThat(control.reply())
                                    .as("a data connection that resumes nothing")
                                    .startsWith("522");
                        }
                    }
                }
            }
            assertThat(printer.ftp().reuseRefusals()).isEqualTo(1);
        }
    }

    @Test
    void anIdleClientIsDisconnected() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = ftpSettings(printer);
            settings.put("ftp.idle-timeout", "1s");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
                client.read();
                client.send("USER bblp");
                assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
                assertThat(client.read().code()).isEqualTo(421);
                assertThat(client.closedByServer()).isTrue();
                await().atMost(WAIT).until(() -> printer.ftp().activeSessions() == 0);
            }
        }
    }

    @Test
    void aDataConnectionFromAnotherAddressIsRefusedAndTheClientsOwnServed() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            Files.writeString(printer.ftp().root().resolve("hello.txt"), "hello");
            client.read();
            client.send("USER bblp");
            client.send("PASS " + Fixtures.CODE);
            int dataPort = client.passivePort();
            try (Socket thief = new Socket()) {
                thief.bind(new InetSocketAddress("127.0.0.2", 0)); // another host as far as the proxy can tell
                thief.connect(new InetSocketAddress("127.0.0.1", dataPort));
                thief.setSoTimeout((int) WAIT.toMillis());
                assertThat(client.send("RETR hello.txt").code()).isEqualTo(150);
                assertThat(closedOrReset(thief.getInputStream()))
                        .as("the stranger is cut off")
                        .isTrue();
                try (EngineTlsStream data = client.openData(dataPort)) {
                    assertThat(new String(data.inputStream().readAllBytes())).isEqualTo("hello");
                }
                assertThat(client.read().code()).isEqualTo(226);
            }
        }
    }

    private Map<String, String> withDataTimeoutOfOneSecond(SimulatedPrinter printer) {
        Map<String, String> settings = ftpSettings(printer);
        settings.put("ftp.data-timeout", "1s");
        return settings;
    }

    private static void loginAndBinary(FtpClients.Raw client) throws IOException {
        assertThat(client.read().code()).isEqualTo(220);
        client.send("USER bblp");
        assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
        assertThat(client.send("TYPE I").code()).isEqualTo(200);
    }

    private static ServiceStatus status(PandaProxy proxy) {
        return proxy.ftp().orElseThrow().status();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
