package dev.pandaproxy.tls;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.testing.Viewer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code proxy.tls.cert}/{@code proxy.tls.key}: the user's own certificate, made by a real openssl. */
class UserCertificateTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "key as {0}")
    @ValueSource(strings = {"PKCS#8", "PKCS#1"})
    void theProxyPresentsTheUsersCertificate(String keyFormat) throws Exception {
        Path openssl = RealPeers.require("openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + Fixtures.SERIAL));
        run(command);
        if (keyFormat.equals("PKCS#1")) {
            run(List.of(openssl.toString(), "rsa", "-traditional", "-in", key.toString(), "-out", key.toString()));
        }
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("proxy.tls.cert", cert.toString());
            settings.put("proxy.tls.key", key.toString());
            try (PandaProxy proxy = Fixtures.proxy(settings);
                 Viewer viewer = Viewer.connect(PrinterTrust.create(TrustMode.CA, Optional.of(cert), dir.resolve("unused"),
                         Fixtures.SERIAL).clientContext(), proxy.camera().orElseThrow().port(), Fixtures.CODE)) {
                await().until(() -> viewer.count() > 0);
                assertThat(proxy.tls().identity().certificate()).isEqualTo(Pem.readCertificates(cert).getFirst());
            }
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }
}
