package dev.pandaproxy.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** SHA-256 certificate fingerprints in the usual {@code AB:CD:…} form. */
public final class Fingerprint {
    private Fingerprint() {}

    /** The SHA-256 fingerprint of {@code certificate}'s DER encoding. */
    public static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
