package dev.pandaproxy.tls;

import dev.pandaproxy.config.ListenConfig;
import dev.pandaproxy.config.PrinterConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;

/**
 * The proxy's TLS material for one printer, kept in the state directory:
 * <pre>
 * state-dir/ca.pem, ca-key.pem                 the proxy CA (shared by every printer; users import it once)
 * state-dir/&lt;serial&gt;/server.pem, server-key.pem   the certificate presented to clients (CN = serial)
 * state-dir/&lt;serial&gt;/printer-pins.properties      pinned printer fingerprints (trust on first use)
 * (beside them, the camera a start found: rtsp/CameraDetector)
 * </pre>
 *
 * @param ca       the certificate clients import to trust the proxy: the proxy CA, or with the user's own
 *                 certificate the last one of its chain (its issuer, e.g. the Kubernetes operator's CA)
 * @param identity what the proxy presents to clients (issued by the proxy CA, or the user's own)
 * @param printer  how the printer's certificate is trusted
 */
public record TlsMaterial(X509Certificate ca, ServerIdentity identity, PrinterTrust printer) {
    private static final System.Logger LOG = System.getLogger(TlsMaterial.class.getName());

    /** Loads, or creates on first start, everything the proxy for {@code printer} needs. */
    public static TlsMaterial load(ListenConfig listen, PrinterConfig printer) throws IOException {
        Path printerDir = listen.stateDir().resolve(printer.serial());
        ServerIdentity identity;
        X509Certificate ca;
        if (listen.tls().cert().isPresent()) {
            identity = ServerIdentity.fromPemFiles(
                    listen.tls().cert().get(), listen.tls().key().orElseThrow());
            if (!identity.hasRsaKey()) {
                LOG.log(
                        Level.WARNING,
                        "proxy.tls.key is not an RSA key: clients that need the plain-RSA suites "
                                + "(slicers on port 3002) will fail to connect");
            }
            // no CA of our own is made: a user who brings a certificate imports its issuer
            ca = identity.chain().getLast();
        } else {
            CertificateAuthority proxyCa = proxyCa(listen.stateDir());
            identity = ServerIdentity.loadOrIssue(
                    proxyCa,
                    printerDir,
                    printer.serial(),
                    SubjectNames.forServer(
                            printer.serial(), listen.bind(), listen.tls().names()));
            ca = proxyCa.certificate();
        }
        PrinterTrust trust = PrinterTrust.create(
                printer.trust(),
                printer.caFile(),
                printerDir.resolve("printer-pins.properties"),
                printer.knownPins(),
                printer.serial());
        return new TlsMaterial(ca, identity, trust);
    }

    /** The proxy CA in {@code stateDir}, created on first use. */
    public static CertificateAuthority proxyCa(Path stateDir) throws IOException {
        return CertificateAuthority.loadOrCreate(stateDir, "PandaProxy CA " + LocalDate.now());
    }
}
