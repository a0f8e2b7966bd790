package dev.pandaproxy.operator.desired;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.rtsp.FfmpegCommand;
import dev.pandaproxy.rtsp.MediaMtxConfig;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * MediaMTX's configuration for an RTSP printer, in a Secret (it holds the access code and the proxy's password): the
 * text the proxy would write for a MediaMTX of its own, from the same function and inputs, so that the sidecar has
 * its file from its first start instead of restarting until the proxy wrote one. A mounted Secret follows its
 * updates and MediaMTX reloads a changed file.
 */
public final class DesiredMediaMtx {
    static final String DIR = "/etc/mediamtx";
    static final String FILE = "mediamtx.yml";
    /** The proxy's certificate and key, from the same Secret the proxy mounts. */
    static final String TLS_DIR = DIR + "/tls";

    private DesiredMediaMtx() {}

    /**
     * @param accessCode        the printer's, for user {@code bblp}
     * @param publisherPassword the proxy's password toward MediaMTX (the generated Secret's)
     */
    public static io.fabric8.kubernetes.api.model.Secret of(ProxyPod pod, Secret accessCode, Secret publisherPassword) {
        String yaml = MediaMtxConfig.yaml(new MediaMtxConfig.Inputs(
                pod.helperAddress(),
                ProxyPod.MEDIAMTX_RTSPS_PORT,
                ProxyPod.PUBLISH_PORT,
                ProxyPod.MEDIAMTX_API_PORT,
                ProxyPod.MEDIAMTX_HLS_PORT,
                TLS_DIR + "/tls.crt",
                TLS_DIR + "/tls.key",
                accessCode,
                FfmpegCommand.PUBLISHER,
                publisherPassword));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(pod.mediamtxSecret())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(FILE, Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8))))
                .build();
    }
}
