package dev.pandaproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy CA and the certificate it issues for the printer's serial. */
class ServerIdentityTest {
    private static final String SERIAL = "01P00A000000001";

    @TempDir
    Path dir;

    @Test
    void theCaIsCreatedOnceAndReused() throws Exception {
        CertificateAuthority first = TlsMaterial.proxyCa(dir);
        CertificateAuthority second = TlsMaterial.proxyCa(dir);
        assertThat(Fingerprint.sha256(second.certificate())).isEqualTo(Fingerprint.sha256(first.certificate()));
        assertThat(first.certificate().getBasicConstraints()).isEqualTo(0);
        assertThat(first.certificate().getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theServerCertificateLooksLikeThePrintersAndIsReusedWhileItsNamesStay() throws Exception {
        CertificateAuthority ca = TlsMaterial.proxyCa(dir);
        SubjectNames names = SubjectNames.forServer(SERIAL, "192.168.1.10", List.of("proxy.lan", "10.1.2.3"));
        ServerIdentity identity = ServerIdentity.loadOrIssue(ca, dir.resolve(SERIAL), SERIAL, names);
        X509Certificate leaf = identity.certificate();

        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + SERIAL);
        assertThat(leaf.getPublicKey()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) leaf.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);
        assertThat(leaf.getKeyUsage()[2])
                .as("keyEncipherment, for the plain-RSA suites")
                .isTrue();
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getSubjectAlternativeNames())
                .extracting(entry -> entry.get(1).toString())
                .containsExactlyInAnyOrder(
                        SERIAL, "localhost", "proxy.lan", "127.0.0.1", "0:0:0:0:0:0:0:1", "192.168.1.10", "10.1.2.3");
        assertThat(ca.signed(leaf)).isTrue();
        assertThat(identity.chain()).containsExactly(leaf, ca.certificate());
        assertThat(identity.toString()).doesNotContain("PRIVATE").contains("hidden");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve(SERIAL).resolve("server-key.pem"))))
                .isEqualTo("rw-------");

        assertThat(ServerIdentity.loadOrIssue(ca, dir.resolve(SERIAL), SERIAL, names)
                        .certificate())
                .as("same names: reused")
                .isEqualTo(leaf);
        SubjectNames moved = SubjectNames.forServer(SERIAL, "192.168.1.11", List.of("proxy.lan", "10.1.2.3"));
        assertThat(ServerIdentity.loadOrIssue(ca, dir.resolve(SERIAL), SERIAL, moved)
                        .certificate())
                .as("new bind address: reissued")
                .isNotEqualTo(leaf);
    }

    @Test
    void aWildcardBindAddressIsNotAName() {
        assertThat(SubjectNames.forServer(SERIAL, "0.0.0.0", List.of()).ips()).containsExactly("127.0.0.1", "::1");
    }
}
