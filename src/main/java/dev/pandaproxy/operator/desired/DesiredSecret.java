package dev.pandaproxy.operator.desired;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The printer's generated Secret: the proxy's password toward MediaMTX (publishing for ffmpeg, and the API). The operator makes one up once
 * and keeps it (the Secret is created only when missing), so a restarted pod finds the same one.
 */
public final class DesiredSecret {
    public static final String PUBLISHER_PASSWORD = "publisher-password";

    private DesiredSecret() {}

    public static Secret of(ProxyPod pod, String publisherPassword) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(pod.name())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(
                        PUBLISHER_PASSWORD,
                        Base64.getEncoder().encodeToString(publisherPassword.getBytes(StandardCharsets.UTF_8))))
                .build();
    }
}
