package dev.pandaproxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading and writing PEM files: certificates and PKCS#8 private keys (what the proxy writes) with the JDK
 * alone, other private keys (PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}, which users may
 * bring) through BouncyCastle. A proxy whose files are in place so never loads BouncyCastle: its signed
 * jars cost ~5 MB of heap for as long as the process runs (BENCHMARKS.md, "Footprint").
 */
public final class Pem {
    private static final String PKCS8_KEY = "PRIVATE KEY";
    /** A PEM block: its type and its base64 body (line breaks and any headers around it are left to the decoder). */
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 #]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** The algorithms a PKCS#8 key is tried as, the proxy's own RSA first. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private Pem() {}

    /** PEM text of {@code certificates}, in order. */
    public static String encode(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                block(out, "CERTIFICATE", certificate.getEncoded());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("a certificate that cannot be encoded: " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    /** PEM text (PKCS#8, unencrypted) of {@code key}. */
    public static String encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key without a PKCS#8 encoding");
        }
        return block(new StringBuilder(), PKCS8_KEY, key.getEncoded()).toString();
    }

    /** Every certificate in a PEM file; other blocks are skipped. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** Every certificate in PEM text. */
    public static List<X509Certificate> parseCertificates(String pem) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Matcher block = BLOCK.matcher(pem); block.find(); ) {
                if (block.group(1).equals("CERTIFICATE")) {
                    result.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der(block))));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unreadable certificate: " + e.getMessage(), e);
        }
        return result;
    }

    /** The first private key in a PEM file (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return privateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** The first private key in PEM text (e.g. a Kubernetes Secret's {@code tls.key}). */
    public static PrivateKey parsePrivateKey(String pem) throws IOException {
        return privateKey(pem, "the PEM text");
    }

    private static PrivateKey privateKey(String pem, String source) throws IOException {
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            if (block.group(1).equals(PKCS8_KEY)) {
                return pkcs8(der(block), source);
            }
        }
        return BouncyCastlePem.readPrivateKey(pem, source);
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file and an atomic rename, so a crash never
     * leaves half a key behind; {@code secret} files are readable by the owner only.
     */
    public static void write(Path file, String text, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] der(Matcher block) {
        return Base64.getMimeDecoder().decode(block.group(2));
    }

    private static PrivateKey pkcs8(byte[] der, String source) throws IOException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException wrongAlgorithm) {
                // the next one
            } catch (GeneralSecurityException e) {
                throw new IOException("unreadable private key in " + source + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("the private key in " + source + " is none of " + String.join(", ", KEY_ALGORITHMS));
    }

    private static StringBuilder block(StringBuilder out, String type, byte[] der) {
        return out.append("-----BEGIN ")
                .append(type)
                .append("-----\n")
                .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                .append("\n-----END ")
                .append(type)
                .append("-----\n");
    }
}
