package dev.pandaproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.testing.Viewer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        List<String> command = new ArrayList<>(List.of(
                openssl.toString(),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=" + Fixtures.SERIAL));
        run(command);
        if (keyFormat.equals("PKCS#1")) {
            run(List.of(openssl.toString(), "rsa", "-traditional", "-in", key.toString(), "-out", key.toString()));
        }
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("proxy.tls.cert", cert.toString());
            settings.put("proxy.tls.key", key.toString());
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    Viewer viewer = Viewer.connect(
                            PrinterTrust.create(TrustMode.CA, Optional.of(cert), dir.resolve("unused"), Fixtures.SERIAL)
                                    .clientContext(),
                            proxy.camera().orElseThrow().port(),
                            Fixtures.CODE)) {
                await().until(() -> viewer.count() > 0);
                assertThat(proxy.tls().identity().certificate())
                        .isEqualTo(Pem.readCertificates(cert).getFirst());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void withTheUsersChainClientsAreOfferedItsIssuerAndNoCaOfTheProxysOwnIsMade() throws Exception {
        // the Kubernetes operator's case: a certificate from the installation's CA, the CA after it in the chain
        CertificateAuthority installation = CertificateAuthority.generate("installation CA");
        installation
                .issue(Fixtures.SERIAL, SubjectNames.forServer(Fixtures.SERIAL, "0.0.0.0", List.of()))
                .writePemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("proxy.tls.cert", dir.resolve("tls.crt").toString());
            settings.put("proxy.tls.key", dir.resolve("tls.key").toString());
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                HttpResponse<String> ca = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + proxy.httpPort() + "/tls/ca.pem"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(Pem.parseCertificates(ca.body())).containsExactly(installation.certificate());
                assertThat(proxy.status().caFingerprint()).isEqualTo(Fingerprint.sha256(installation.certificate()));
                assertThat(dir.resolve("proxy").resolve("ca-key.pem")).doesNotExist();
            }
        }
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
    }
}
