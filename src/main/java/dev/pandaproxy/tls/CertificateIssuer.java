package dev.pandaproxy.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs certificates with BouncyCastle (the JDK has no public API for it). Apart from
 * {@link CertificateAuthority} so that a proxy whose CA and certificate are already stored never loads
 * BouncyCastle (BENCHMARKS.md, "Footprint").
 */
final class CertificateIssuer {
    private CertificateIssuer() {}

    /** A self-signed CA certificate for {@code pair}. */
    static X509Certificate selfSignedCa(String commonName, KeyPair pair, Duration validity) {
        X500Name subject = name(commonName);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serialNumber(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(validity)),
                            subject,
                            pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return sign(builder, pair.getPrivate());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a CA certificate", e);
        }
    }

    /** A server certificate {@code CN=commonName} for {@code key}, with {@code names}, signed by the CA. */
    static X509Certificate server(
            X509Certificate ca,
            PrivateKey caKey,
            String commonName,
            SubjectNames names,
            PublicKey key,
            Duration validity) {
        Instant now = Instant.now();
        List<GeneralName> alternatives = new ArrayList<>();
        names.dns().forEach(n -> alternatives.add(new GeneralName(GeneralName.dNSName, n)));
        names.ips().forEach(ip -> alternatives.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            ca,
                            serialNumber(),
                            Date.from(now.minus(Duration.ofHours(1))),
                            Date.from(now.plus(validity)),
                            name(commonName),
                            key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    // keyEncipherment is what the plain-RSA key exchange suites use
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
            return sign(builder, caKey);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static BigInteger serialNumber() {
        return new BigInteger(127, CertificateAuthority.RANDOM);
    }
}
