package dev.pandaproxy.operator;

import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The installation's one CA, which every printer's certificate is issued from, so that users import it once for
 * every printer, now and after any upgrade, restart or eviction. It lives in the Secret {@value #SECRET} in the
 * operator's namespace ({@code ca.crt}, {@code ca.key}): created by the first operator that needs it and never made
 * again while it exists (a replica that loses the race to create it uses the winner's). No owner reference: a
 * {@code helm uninstall} and reinstall keeps the CA users already trust.
 */
final class InstallationCa {
    private static final System.Logger LOG = System.getLogger(InstallationCa.class.getName());
    static final String SECRET = "pandaproxy-ca";
    static final String CERTIFICATE = "ca.crt";
    static final String KEY = "ca.key";

    private final KubernetesClient client;
    private final String namespace;
    /** The last CA read, with the resourceVersion it was read at: parsed again only when the Secret changed. */
    private volatile Map.Entry<String, CertificateAuthority> cached;

    private volatile SharedIndexInformer<Secret> informer;

    /** @param namespace the operator's own namespace */
    InstallationCa(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Starts following the CA's Secret (list and watch of that one name): {@link #get()} reads it from this cache, not
     * from the API server.
     */
    SharedIndexInformer<Secret> inform() {
        SharedIndexInformer<Secret> started =
                client.secrets().inNamespace(namespace).withName(SECRET).inform();
        informer = started;
        return started;
    }

    /** The CA, created on first use. */
    CertificateAuthority get() {
        SharedIndexInformer<Secret> cache = informer;
        if (cache == null) {
            throw new IllegalStateException("the installation CA is read before its Secret is followed");
        }
        Secret secret = cache.getStore().getByKey(namespace + "/" + SECRET);
        if (secret == null) {
            secret = create();
        }
        String version = secret.getMetadata().getResourceVersion();
        Map.Entry<String, CertificateAuthority> last = cached;
        if (last != null && last.getKey().equals(version)) {
            return last.getValue();
        }
        CertificateAuthority ca = parse(secret);
        cached = Map.entry(version, ca);
        return ca;
    }

    private Secret create() {
        CertificateAuthority ca = CertificateAuthority.generate("PandaProxy CA " + LocalDate.now());
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "pandaproxy")
                .addToLabels("app.kubernetes.io/component", "ca")
                .addToLabels("app.kubernetes.io/managed-by", Applier.FIELD_MANAGER)
                .endMetadata()
                .withType("Opaque")
                .addToData(CERTIFICATE, base64(Pem.encode(List.of(ca.certificate()))))
                .addToData(KEY, base64(ca.keyPem()))
                .build();
        try {
            Secret created =
                    client.secrets().inNamespace(namespace).resource(secret).create();
            LOG.log(Level.INFO, "operator: created the installation CA in Secret {0}/{1}", namespace, SECRET);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // another replica made it first (or this one, and the cache has not seen it yet): that one is the one
            return Optional.ofNullable(client.secrets()
                            .inNamespace(namespace)
                            .withName(SECRET)
                            .get())
                    .orElseThrow(() -> e);
        }
    }

    private CertificateAuthority parse(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (data.get(CERTIFICATE) == null || data.get(KEY) == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + SECRET + " has no " + CERTIFICATE + " and "
                    + KEY + "; delete it to have a new CA made (clients must then import the new one)");
        }
        try {
            return CertificateAuthority.fromPem(decode(data.get(CERTIFICATE)), decode(data.get(KEY)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Secret " + namespace + "/" + SECRET + " holds no usable CA ("
                    + e.getClass().getSimpleName()
                    + "); delete it to have a new CA made (clients must then import the new one)");
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
