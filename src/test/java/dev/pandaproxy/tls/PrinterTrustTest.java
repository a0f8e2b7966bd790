package dev.pandaproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trusting the printer: pinning, a CA bundle, or nothing — against simulated printers. */
class PrinterTrustTest {
    private static final SimulatorConfig.Camera CAMERA = new SimulatorConfig.Camera(20, 0, 64, 36);

    @TempDir
    Path dir;

    @Test
    void pinTrustsTheFirstCertificateAndRefusesAnotherOneLater() throws Exception {
        Path pins = dir.resolve("pins.properties");
        int port;
        try (SimulatedPrinter original = Fixtures.printer(dir.resolve("original"), CAMERA, 0)) {
            port = original.camera().port();
            readOneFrame(
                    PrinterTrust.create(TrustMode.PIN, Optional.empty(), pins, Fixtures.SERIAL)
                            .clientContext(),
                    port);
            assertThat(Files.readString(pins)).contains("port." + port + "=");
            // like a printer, the simulator streams to one viewer at a time: let it notice the first one left
            await().atMost(Duration.ofSeconds(20)).until(() -> original.camera().activeSessions() == 0);
            // a fresh trust (as after a restart) reads the pin from disk and still accepts the same printer
            readOneFrame(
                    PrinterTrust.create(TrustMode.PIN, Optional.empty(), pins, Fixtures.SERIAL)
                            .clientContext(),
                    port);
        }
        try (SimulatedPrinter impostor = Fixtures.printer(dir.resolve("impostor"), CAMERA, port)) {
            SSLContext pinned = PrinterTrust.create(TrustMode.PIN, Optional.empty(), pins, Fixtures.SERIAL)
                    .clientContext();
            assertThatThrownBy(() -> readOneFrame(pinned, port))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("the printer's certificate on port " + port + " changed")
                    .hasStackTraceContaining("delete " + pins);
        }
    }

    @Test
    void caTrustVerifiesTheChainAndTheSerial() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"), CAMERA, 0)) {
            int port = printer.camera().port();
            Path bundle = printer.caFile();
            readOneFrame(
                    PrinterTrust.create(TrustMode.CA, Optional.of(bundle), dir.resolve("unused"), Fixtures.SERIAL)
                            .clientContext(),
                    port);
            await().atMost(Duration.ofSeconds(20)).until(() -> printer.camera().activeSessions() == 0);

            SSLContext wrongSerial = PrinterTrust.create(
                            TrustMode.CA, Optional.of(bundle), dir.resolve("unused"), "01S00C000000002")
                    .clientContext();
            assertThatThrownBy(() -> readOneFrame(wrongSerial, port))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("not CN=01S00C000000002: check printer.serial");

            Path otherCa = Files.writeString(
                    dir.resolve("other.pem"),
                    Pem.encode(List.of(
                            CertificateAuthority.generate("someone else").certificate())));
            SSLContext otherBundle = PrinterTrust.create(
                            TrustMode.CA, Optional.of(otherCa), dir.resolve("unused"), Fixtures.SERIAL)
                    .clientContext();
            assertThatThrownBy(() -> readOneFrame(otherBundle, port)).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void insecureTrustsAnything() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"), CAMERA, 0)) {
            readOneFrame(
                    PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), dir.resolve("unused"), "whatever")
                            .clientContext(),
                    printer.camera().port());
        }
    }

    private static void readOneFrame(SSLContext context, int port) throws IOException {
        try (ChamberClient client = ChamberClient.connect(
                context, "127.0.0.1", port, Secret.of(Fixtures.CODE), Duration.ofSeconds(10), 1_000_000)) {
            assertThat(client.readFrame().jpeg()).startsWith(0xFF, 0xD8);
        }
    }
}
