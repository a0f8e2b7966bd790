package dev.pandaproxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * A certificate authority that issues {@code CN=<serial>} server certificates with RSA keys, the shape
 * clients expect from a BambuLab printer. The proxy keeps one in its state directory (users import it
 * once into their slicer); the simulated printer has its own.
 */
public final class CertificateAuthority {
    /** RSA keys: the plain-RSA suites slicers need are impossible with an EC key. */
    private static final int KEY_BITS = 2048;

    private static final Duration CA_VALIDITY = Duration.ofDays(20 * 365);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * The CA kept as {@code ca.pem} and {@code ca-key.pem} in {@code dir}, created there on first use.
     *
     * @param commonName subject CN for a new CA
     */
    public static CertificateAuthority loadOrCreate(Path dir, String commonName) throws IOException {
        Path certFile = dir.resolve("ca.pem");
        Path keyFile = dir.resolve("ca-key.pem");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            List<X509Certificate> certs = Pem.readCertificates(certFile);
            if (certs.isEmpty()) {
                throw new IOException(certFile + " holds no certificate; delete it and ca-key.pem to create a new CA");
            }
            return new CertificateAuthority(certs.getFirst(), Pem.readPrivateKey(keyFile));
        }
        CertificateAuthority ca = generate(commonName);
        Pem.write(keyFile, Pem.encode(ca.key), true);
        Pem.write(certFile, Pem.encode(List.of(ca.certificate)), false);
        return ca;
    }

    /** The CA kept elsewhere (e.g. in a Kubernetes Secret) as PEM text. */
    public static CertificateAuthority fromPem(String certificatePem, String keyPem) throws IOException {
        List<X509Certificate> certs = Pem.parseCertificates(certificatePem);
        if (certs.isEmpty()) {
            throw new IOException("the CA certificate PEM holds no certificate");
        }
        return new CertificateAuthority(certs.getFirst(), Pem.parsePrivateKey(keyPem));
    }

    /** The CA's private key as PEM, for storing it where {@link #fromPem} finds it again (a secret). */
    public String keyPem() {
        return Pem.encode(key);
    }

    /** A new CA that lives in memory only. */
    public static CertificateAuthority generate(String commonName) {
        KeyPair pair = newKeyPair();
        return new CertificateAuthority(
                CertificateIssuer.selfSignedCa(commonName, pair, CA_VALIDITY), pair.getPrivate());
    }

    /** The CA certificate (what users import). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether {@code candidate} was signed by this CA's key. */
    public boolean signed(X509Certificate candidate) {
        try {
            candidate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A new server identity {@code CN=commonName} with the given subject alternative names. */
    public ServerIdentity issue(String commonName, SubjectNames names) {
        KeyPair pair = newKeyPair();
        return new ServerIdentity(
                pair.getPrivate(),
                List.of(
                        CertificateIssuer.server(
                                certificate, key, commonName, names, pair.getPublic(), SERVER_VALIDITY),
                        certificate));
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + "]";
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }
}
