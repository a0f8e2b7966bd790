package dev.pandaproxy.operator.desired;

import dev.pandaproxy.config.YamlText;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy's configuration file ({@code proxy.yaml}), in a ConfigMap. It holds no secret: the access code reaches
 * the proxy as the {@code ACCESS_CODE} variable from the user's Secret.
 */
public final class DesiredConfigMap {
    static final String FILE = "proxy.yaml";

    private DesiredConfigMap() {}

    public static ConfigMap of(ProxyPod pod) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(pod.name())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withData(Map.of(FILE, YamlText.of(settings(pod))))
                .build();
    }

    /** The proxy's settings, in the keys of the configuration reference. */
    static Map<String, Object> settings(ProxyPod pod) {
        BambuPrinterSpec spec = pod.spec();
        Map<String, Object> printer = new LinkedHashMap<>();
        printer.put("host", spec.getHost());
        printer.put("serial", spec.getSerial());
        printer.put("trust", spec.getTrust().getMode().name().toLowerCase(Locale.ROOT));
        if (spec.getTrust().getMode() == BambuPrinterSpec.TrustMode.CA) {
            printer.put("ca-file", ProxyPod.PRINTER_CA_DIR + "/ca.pem");
        }
        if (spec.getTrust().getMode() == BambuPrinterSpec.TrustMode.PIN) {
            // what the pod pinned before, kept by the operator in the printer's identity Secret
            printer.put("known-pins", ProxyPod.KNOWN_PINS_DIR + "/" + DesiredIdentity.PINS);
        }

        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("bind", pod.bindAddress());
        proxy.put(
                "services",
                spec.getServices().stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                        .toList());
        proxy.put("state-dir", ProxyPod.STATE_DIR);
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("http", spec.getNetwork().getHttpPort());
        ports.put("https", spec.getNetwork().getHttpsPort());
        proxy.put("ports", ports);
        // behind a load balancer the pod's own address is not the one clients use
        pod.advertisedAddress().ifPresent(address -> proxy.put("advertise-address", address));
        // the user's certificate, or the one the operator issued from the installation's CA: never one of the pod's own
        proxy.put(
                "tls",
                Map.of("cert", ProxyPod.SERVER_TLS_DIR + "/tls.crt", "key", ProxyPod.SERVER_TLS_DIR + "/tls.key"));

        Map<String, Object> camera = new LinkedHashMap<>();
        camera.put("mode", pod.camera());
        if (pod.rtsp()) {
            // the proxy runs ffmpeg itself (the image has it) and restarts it with backoff while the printer is off;
            // MediaMTX is a sidecar on this printer's own loopback address, configured by the operator
            // (DesiredMediaMtx)
            camera.put("mediamtx", "external");
            camera.put("helper-address", pod.helperAddress());
            camera.put("publish-port", ProxyPod.PUBLISH_PORT);
            camera.put("mediamtx-api-port", ProxyPod.MEDIAMTX_API_PORT);
            camera.put("mediamtx-hls-port", ProxyPod.MEDIAMTX_HLS_PORT);
            camera.put("mediamtx-rtsps-port", ProxyPod.MEDIAMTX_RTSPS_PORT);
            if (spec.getModel() != null) {
                camera.put("model", spec.getModel());
            }
        }

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("printer", printer);
        settings.put("proxy", proxy);
        settings.put("camera", camera);
        if (pod.serves(BambuPrinterSpec.Service.FTP)) {
            settings.put(
                    "ftp", Map.of("passive-ports", ProxyPod.FIRST_PASSIVE_PORT + "-" + ProxyPod.LAST_PASSIVE_PORT));
        }
        Map<String, Object> slicer = new LinkedHashMap<>();
        slicer.put("discovery", spec.getSlicer().isDiscovery());
        slicer.put("detect", spec.getSlicer().isDetect() || spec.getSlicer().isDiscovery());
        settings.put("slicer", slicer);
        return settings;
    }
}
