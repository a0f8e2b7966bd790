package dev.pandaproxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Trust on first use: the SHA-256 fingerprint of the printer's certificate, per printer port, kept in a
 * properties file. The first certificate seen on a port is remembered; a different one later is refused. Pins
 * known from before (a read-only file, e.g. one the Kubernetes operator keeps across pod restarts) count as seen.
 */
final class PinStore {
    private static final System.Logger LOG = System.getLogger(PinStore.class.getName());

    private final Path file;
    private final Properties pins = new Properties();

    PinStore(Path file, Optional<Path> known) throws IOException {
        this.file = file;
        load(file);
        if (known.isPresent() && Files.exists(known.get())) {
            Properties before = new Properties();
            try (Reader reader = Files.newBufferedReader(known.get(), StandardCharsets.UTF_8)) {
                before.load(reader);
            }
            before.forEach(pins::putIfAbsent);
        }
    }

    /** Every pin: printer port → SHA-256 fingerprint (public facts, shown in /status). */
    synchronized Map<Integer, String> pins() {
        Map<Integer, String> result = new TreeMap<>();
        pins.forEach((key, value) -> {
            String name = key.toString();
            if (name.startsWith("port.")) {
                result.put(Integer.parseInt(name.substring("port.".length())), value.toString());
            }
        });
        return result;
    }

    private void load(Path source) throws IOException {
        if (Files.exists(source)) {
            try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                pins.load(reader);
            }
        }
    }

    synchronized void verifyOrPin(int port, X509Certificate certificate) throws CertificateException {
        String key = "port." + port;
        String presented = Fingerprint.sha256(certificate);
        String pinned = pins.getProperty(key);
        if (pinned == null) {
            pins.setProperty(key, presented);
            save();
            LOG.log(
                    System.Logger.Level.INFO,
                    "printer certificate on port {0} pinned: {1} SHA-256 {2} (kept in {3})",
                    String.valueOf(port),
                    certificate.getSubjectX500Principal().getName(),
                    presented,
                    file);
            return;
        }
        if (!pinned.equals(presented)) {
            throw new CertificateException("the printer's certificate on port " + port + " changed (pinned SHA-256 "
                    + pinned + ", presented " + presented + "); if the printer was reset or replaced, delete "
                    + file + " and restart to trust the new certificate");
        }
    }

    private void save() {
        try {
            StringWriter text = new StringWriter();
            pins.store(text, "SHA-256 fingerprints of the printer's certificates (trust on first use)");
            Pem.write(file, text.toString(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file, e);
        }
    }
}
