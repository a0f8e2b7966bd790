package dev.pandaproxy.operator.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private DesiredConfigMap() {
    }

    public static ConfigMap of(ProxyPod pod) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withLabels(pod.labels()).endMetadata()
                .withData(Map.of(FILE, yaml(settings(pod))))
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

        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("bind", "0.0.0.0");
        proxy.put("services", spec.getServices().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        proxy.put("state-dir", ProxyPod.STATE_DIR);
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("http", ProxyPod.HTTP_PORT);
        ports.put("https", ProxyPod.HTTPS_PORT);
        proxy.put("ports", ports);
        if (!pod.hostNetwork() && spec.getNetwork().getLoadBalancerIP() != null) {
            // behind a load balancer the pod's own address is not the one clients use
            proxy.put("advertise-address", spec.getNetwork().getLoadBalancerIP());
        }
        if (spec.getServerCertificateSecret() != null) {
            proxy.put("tls", Map.of("cert", ProxyPod.SERVER_TLS_DIR + "/tls.crt", "key", ProxyPod.SERVER_TLS_DIR + "/tls.key"));
        }

        Map<String, Object> camera = new LinkedHashMap<>();
        camera.put("mode", pod.camera());
        if (pod.rtsp()) {
            // ffmpeg and MediaMTX are sidecars: the proxy only writes MediaMTX's file and runs the TLS bridge
            camera.put("ffmpeg", "external");
            camera.put("mediamtx", "external");
            camera.put("publish-port", ProxyPod.PUBLISH_PORT);
            camera.put("mediamtx-api-port", ProxyPod.MEDIAMTX_API_PORT);
            camera.put("mediamtx-rtsps-port", ProxyPod.MEDIAMTX_RTSPS_PORT);
            camera.put("bridge-port", ProxyPod.BRIDGE_PORT);
        }

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("printer", printer);
        settings.put("proxy", proxy);
        settings.put("camera", camera);
        if (pod.serves(BambuPrinterSpec.Service.FTP)) {
            settings.put("ftp", Map.of("passive-ports", ProxyPod.FIRST_PASSIVE_PORT + "-" + ProxyPod.LAST_PASSIVE_PORT));
        }
        Map<String, Object> slicer = new LinkedHashMap<>();
        slicer.put("discovery", spec.getSlicer().isDiscovery());
        slicer.put("detect", spec.getSlicer().isDetect() || spec.getSlicer().isDiscovery());
        settings.put("slicer", slicer);
        return settings;
    }

    static String yaml(Map<String, Object> settings) {
        try {
            return YAML.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map always serialises", e);
        }
    }
}
