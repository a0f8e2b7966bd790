package dev.pandaproxy.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.PBEParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The certificate chain and private key a server presents. {@link #toString()} never shows the key.
 */
public final class ServerIdentity {
    /** A stored certificate this close to expiry is replaced at start-up. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(60);

    private static final char[] STORE_PASSWORD = "in-memory".toCharArray();

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    ServerIdentity(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        this.key = key;
        this.chain = List.copyOf(chain);
    }

    /**
     * The identity stored as {@code server.pem}/{@code server-key.pem} in {@code dir}, reused while it was
     * issued by {@code ca} for the same name and alternative names and is not about to expire; otherwise a
     * new one is issued and stored.
     */
    public static ServerIdentity loadOrIssue(CertificateAuthority ca, Path dir, String commonName, SubjectNames names)
            throws IOException {
        Path certFile = dir.resolve("server.pem");
        Path keyFile = dir.resolve("server-key.pem");
        Optional<ServerIdentity> stored = Optional.empty();
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            List<X509Certificate> chain = Pem.readCertificates(certFile);
            if (!chain.isEmpty()) {
                stored = Optional.of(new ServerIdentity(Pem.readPrivateKey(keyFile), chain));
            }
        }
        ServerIdentity identity = reuseOrIssue(stored, ca, commonName, names);
        if (stored.isEmpty() || identity != stored.get()) {
            identity.writePemFiles(certFile, keyFile);
        }
        return identity;
    }

    /**
     * {@code stored} while it was issued by {@code ca} for the same name and alternative names and is not about to
     * expire; otherwise a new identity issued by {@code ca}.
     */
    public static ServerIdentity reuseOrIssue(
            Optional<ServerIdentity> stored, CertificateAuthority ca, String commonName, SubjectNames names) {
        return stored.filter(identity -> reusable(identity.certificate(), ca, commonName, names))
                .orElseGet(() -> ca.issue(commonName, names));
    }

    /** A chain and key kept as PEM text (e.g. in a Kubernetes Secret). */
    public static ServerIdentity fromPem(String chainPem, String keyPem) throws IOException {
        List<X509Certificate> chain = Pem.parseCertificates(chainPem);
        if (chain.isEmpty()) {
            throw new IOException("the certificate PEM holds no certificate");
        }
        return new ServerIdentity(Pem.parsePrivateKey(keyPem), chain);
    }

    /** The user's own certificate chain and key (PEM files). */
    public static ServerIdentity fromPemFiles(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = Pem.readCertificates(certificateFile);
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + " holds no PEM certificate");
        }
        return new ServerIdentity(Pem.readPrivateKey(keyFile), chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** Leaf first, then the issuers. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** Writes the chain and the key (owner-only) as PEM files, for servers outside the JVM. */
    public void writePemFiles(Path certificateFile, Path keyFile) throws IOException {
        Pem.write(keyFile, Pem.encode(key), true);
        Pem.write(certificateFile, Pem.encode(chain), false);
    }

    /** The chain as PEM text, leaf first. */
    public String chainPem() {
        return Pem.encode(chain);
    }

    /** The private key as PEM text, for storing it as a secret. */
    public String keyPem() {
        return Pem.encode(key);
    }

    /** Whether the key is RSA (needed for the plain-RSA suites slicers use). */
    public boolean hasRsaKey() {
        return "RSA".equals(key.getAlgorithm());
    }

    /** A server-side TLS context presenting this identity. */
    public SSLContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            // The store lives in memory only, so its key needs no protection; PKCS#12's default would derive the
            // protecting key with 10,000 rounds of PBKDF2, once to store the key and once to read it back, which in a
            // JVM that has just started (SHA-256 not yet compiled) took ~0.5 s of the proxy's start-up (issue 15). One
            // round and no salt: the password and the store never leave this process.
            store.setEntry(
                    "server",
                    new KeyStore.PrivateKeyEntry(key, chain.toArray(X509Certificate[]::new)),
                    new KeyStore.PasswordProtection(
                            STORE_PASSWORD, "PBEWithHmacSHA256AndAES_128", new PBEParameterSpec(new byte[16], 1)));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            // No trust managers: our servers never ask for a client certificate, and null would make the JDK parse its
            // ~150 public CAs (cacerts) into every proxy's heap for nothing (issue 15).
            return TlsPolicy.newContext(factory.getKeyManagers(), new TrustManager[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot use the server certificate " + certificate().getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[" + certificate().getSubjectX500Principal().getName() + ", key " + key.getAlgorithm()
                + " (hidden)]";
    }

    private static boolean reusable(
            X509Certificate cert, CertificateAuthority ca, String commonName, SubjectNames names) {
        return ca.signed(cert)
                && cert.getSubjectX500Principal().getName().equals("CN=" + commonName)
                && cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))
                && alternativeNames(cert).equals(normalised(names));
    }

    private static Set<String> alternativeNames(X509Certificate cert) {
        Set<String> result = new HashSet<>();
        try {
            Collection<List<?>> entries = cert.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    String value = String.valueOf(entry.get(1));
                    result.add(type == 7 ? "ip:" + canonicalIp(value) : "dns:" + value);
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return result;
    }

    private static Set<String> normalised(SubjectNames names) {
        Set<String> result = new HashSet<>();
        names.dns().forEach(n -> result.add("dns:" + n));
        names.ips().forEach(ip -> result.add("ip:" + canonicalIp(ip)));
        return result;
    }

    private static String canonicalIp(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return literal;
        }
    }
}
