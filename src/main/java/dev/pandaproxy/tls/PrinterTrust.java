package dev.pandaproxy.tls;

import dev.pandaproxy.config.TrustMode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How the proxy decides to trust the printer's certificate. Printers present {@code CN=<serial>} and no
 * host name or IP, so host name verification never applies; instead:
 * <ul>
 *     <li>{@link TrustMode#PIN}: the first certificate seen per port is remembered, a different one refused;</li>
 *     <li>{@link TrustMode#CA}: the chain must end at the user's CA bundle and the CN must be the serial;</li>
 *     <li>{@link TrustMode#INSECURE}: anything goes.</li>
 * </ul>
 */
public final class PrinterTrust {
    private final SSLContext context;
    private final Optional<PinStore> pins;

    private PrinterTrust(X509ExtendedTrustManager manager, Optional<PinStore> pins) {
        this.context = TlsPolicy.newContext(null, new TrustManager[] {manager});
        this.pins = pins;
    }

    /**
     * Trust for the printer {@code serial}.
     *
     * @param caFile  the CA bundle for {@link TrustMode#CA}
     * @param pinFile where {@link TrustMode#PIN} keeps fingerprints
     */
    public static PrinterTrust create(TrustMode mode, Optional<Path> caFile, Path pinFile, String serial)
            throws IOException {
        return create(mode, caFile, pinFile, Optional.empty(), serial);
    }

    /**
     * Trust for the printer {@code serial}, starting from pins known before.
     *
     * @param knownPins a read-only pin file to start from (its pins count as seen)
     */
    public static PrinterTrust create(
            TrustMode mode, Optional<Path> caFile, Path pinFile, Optional<Path> knownPins, String serial)
            throws IOException {
        return switch (mode) {
            case INSECURE -> new PrinterTrust(new Verifying((chain, port) -> {}), Optional.empty());
            case PIN -> {
                PinStore pins = new PinStore(pinFile, knownPins);
                yield new PrinterTrust(
                        new Verifying((chain, port) -> pins.verifyOrPin(port, chain[0])), Optional.of(pins));
            }
            case CA -> {
                X509TrustManager bundle = bundleTrust(caFile.orElseThrow());
                yield new PrinterTrust(
                        new Verifying((chain, port) -> {
                            bundle.checkServerTrusted(
                                    chain, chain[0].getPublicKey().getAlgorithm());
                            String subject = chain[0].getSubjectX500Principal().getName();
                            if (!subject.equals("CN=" + serial)) {
                                throw new CertificateException("the printer's certificate is for " + subject
                                        + ", not CN=" + serial + ": check printer.serial");
                            }
                        }),
                        Optional.empty());
            }
        };
    }

    /** The printer's pinned certificate fingerprints by port (trust on first use; empty in the other modes). */
    public Map<Integer, String> pins() {
        return pins.map(PinStore::pins).orElse(Map.of());
    }

    /** The client-side TLS context to use toward the printer. */
    public SSLContext clientContext() {
        return context;
    }

    private static X509TrustManager bundleTrust(Path caFile) throws IOException {
        List<X509Certificate> anchors = Pem.readCertificates(caFile);
        if (anchors.isEmpty()) {
            throw new IOException(caFile + " holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the CA bundle " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** A check of the printer's chain, given the printer port it was presented on. */
    @FunctionalInterface
    private interface ChainCheck {
        void check(X509Certificate[] chain, int port) throws CertificateException;
    }

    /** Applies a {@link ChainCheck} to servers; refuses to act for clients. */
    private static final class Verifying extends X509ExtendedTrustManager {
        private final ChainCheck check;

        Verifying(ChainCheck check) {
            this.check = check;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verify(chain, socket.getPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verify(chain, engine.getPeerPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(chain, -1);
        }

        private void verify(X509Certificate[] chain, int port) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the printer presented no certificate");
            }
            check.check(chain, port);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
