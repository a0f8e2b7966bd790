package dev.pandaproxy.operator.desired;

import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.ServerIdentity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The printer's identity Secret ({@code kubernetes.io/tls}): the certificate the proxy presents, issued by the
 * installation's CA ({@code tls.crt} with the CA after the leaf, {@code tls.key}, {@code ca.crt}), and the printer's
 * pinned certificate fingerprints, so that neither changes when the pod is replaced.
 */
public final class DesiredIdentity {
    /** The key of the pinned fingerprints, in the proxy's pin file format ({@code port.<n>=<sha-256>}). */
    static final String PINS = "printer-pins.properties";

    private DesiredIdentity() {}

    /**
     * @param identity the proxy's certificate chain and key (issued by {@code ca})
     * @param pins     the printer's fingerprints by port (none yet: the key is left out)
     */
    public static Secret of(ProxyPod pod, ServerIdentity identity, X509Certificate ca, Map<Integer, String> pins) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("tls.crt", base64(identity.chainPem()));
        data.put("tls.key", base64(identity.keyPem()));
        data.put("ca.crt", base64(Pem.encode(List.of(ca))));
        if (!pins.isEmpty()) {
            data.put(PINS, base64(pinsText(pins)));
        }
        return new SecretBuilder()
                .withNewMetadata()
                .withName(pod.identitySecret())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(data)
                .build();
    }

    /** The certificate and key stored before, if the Secret holds readable ones. */
    public static Optional<ServerIdentity> storedIdentity(Secret existing) {
        Optional<String> chain = value(existing, "tls.crt");
        Optional<String> key = value(existing, "tls.key");
        if (chain.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ServerIdentity.fromPem(chain.get(), key.get()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // issued again
        }
    }

    /** The pins stored before (none when there is no Secret or key). */
    public static Map<Integer, String> storedPins(Secret existing) {
        Map<Integer, String> pins = new TreeMap<>();
        value(existing, PINS).ifPresent(text -> {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties.forEach((key, value) -> {
                String name = key.toString();
                if (name.matches("port\\.[0-9]{1,5}")) {
                    pins.put(Integer.parseInt(name.substring(5)), value.toString());
                }
            });
        });
        return pins;
    }

    /** The pin file's text, in a stable order (an unchanged set of pins is an unchanged Secret). */
    static String pinsText(Map<Integer, String> pins) {
        StringWriter text = new StringWriter();
        new TreeMap<>(pins)
                .forEach((port, fingerprint) -> text.append("port.")
                        .append(String.valueOf(port))
                        .append('=')
                        .append(fingerprint)
                        .append('\n'));
        return text.toString();
    }

    private static Optional<String> value(Secret secret, String key) {
        return Optional.ofNullable(secret)
                .map(Secret::getData)
                .map(data -> data.get(key))
                .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
