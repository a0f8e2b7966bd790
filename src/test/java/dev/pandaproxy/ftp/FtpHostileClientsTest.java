package dev.pandaproxy.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.FtpClients;
import dev.pandaproxy.tls.EngineTlsStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The FTPS proxy against clients that do not play by the rules: bounded, deadlined, bound to their session. */
class FtpHostileClientsTest extends FtpProxyFixture {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void commandsSentWithoutReadingTheRepliesAreHeldBackAndTheClientIsCutOff() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = ftpSettings(printer);
            settings.put("ftp.write-timeout", "1s");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
                assertThat(client.read().code()).isEqualTo(220);
                // commands, never reading a reply: the proxy stops reading (a short queue), its replies back up, and
                // after ftp.write-timeout it cuts the client off instead of queueing every line (641,319 lines, 53 MB
                // of heap for 4 MB before). The kernel's buffers take a few MB; 32 MB is far more than they hold.
                byte[] chunk = "SYST\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                OutputStream out = client.socket().getOutputStream();
                assertThatThrownBy(() -> {
                            for (long sent = 0; sent < 32_000_000; sent += chunk.length) {
                                out.write(chunk);
                            }
                        })
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aClientThatDoesNotLogInInTimeIsClosed() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = ftpSettings(printer);
            settings.put("ftp.login-timeout", "1s");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
                assertThat(client.read().code()).isEqualTo(220);
                assertThat(client.send("USER bblp").code())
                        .isEqualTo(331); // activity does not extend the login deadline
                FtpReply closing = client.read();
                assertThat(closing.code()).isEqualTo(421);
                assertThat(closing.lines().getFirst()).contains("ftp.login-timeout");
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void aDataConnectionThatDoesNotResumeTheVictimsSessionIsRefused() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw victim = new FtpClients.Raw(tls(), port(proxy))) {
            Files.writeString(printer.ftp().root().resolve("secret.gcode"), "the victim's file");
            victim.read();
            victim.send("USER bblp");
            assertThat(victim.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
            int dataPort = victim.passivePort();
            assertThat(victim.send("RETR secret.gcode").code()).isEqualTo(150);

            // a neighbour at the same address: a TLS session of its own from the control port (no login needed)...
            try (FtpClients.Raw neighbour = new FtpClients.Raw(tls(), port(proxy))) {
                neighbour.read();
                EngineTlsStream stolen = neighbour.openData(dataPort);
                try {
                    assertThat(closedOrReset(stolen.inputStream()))
                            .as("a data connection resuming another session gets nothing")
                            .isTrue();
                } finally {
                    stolen.abort();
                }
            }
            // ...or a fresh handshake
            try (SSLSocket fresh = (SSLSocket) tls().getSocketFactory().createSocket()) {
                fresh.connect(new InetSocketAddress("127.0.0.1", dataPort), 5000);
                fresh.setSoTimeout((int) WAIT.toMillis());
                assertThat(closedOrReset(fresh.getInputStream()))
                        .as("a data connection resuming nothing gets nothing")
                        .isTrue();
            }
            try (EngineTlsStream data = victim.openData(dataPort)) {
                assertThat(new String(data.inputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("the victim's file");
            }
            assertThat(victim.read().code()).isEqualTo(226);
        }
    }

    @Test
    void controlCharactersInArgumentsAreRefusedAndNeverReachThePrinter() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(ftpSettings(printer));
                FtpClients.Raw client = new FtpClients.Raw(tls(), port(proxy))) {
            client.read();
            client.send("USER bblp");
            assertThat(client.send("PASS " + Fixtures.CODE).code()).isEqualTo(230);
            assertThat(client.send("MKD a\rPORT 127,0,0,1,4,1").code()).isEqualTo(501);
            assertThat(client.send("MKD b\0c").code()).isEqualTo(501);
            assertThat(client.send("MKD tab\tok").code())
                    .as("a tab is a character, not a command separator")
                    .isEqualTo(257);
            try (var created = Files.list(printer.ftp().root())) {
                assertThat(created.map(p -> p.getFileName().toString()))
                        .doesNotContain("a", "b")
                        .contains("tab\tok");
            }
        }
    }
}
