package dev.pandaproxy.operator.desired;

import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts every object of one printer's proxy derives from: names, labels, the camera in use, and every port the
 * pod binds (declared as host ports in HostNetwork mode, so the scheduler never puts two printers that need the
 * same ports on one node).
 *
 * @param printer the resource
 * @param camera  the camera in use: {@code chamber}, {@code rtsp} or {@code none} (auto already resolved)
 * @param images        the images the pod runs
 * @param secretsDigest a digest of every Secret value the pod reads (access code, printer CA, server certificate):
 *                      part of the pod template, so a changed Secret rolls the pod
 * @param ingress       in LoadBalancer mode, the address the load balancer assigned (once it did)
 */
public record ProxyPod(
        BambuPrinter printer, String camera, Images images, String secretsDigest, Optional<String> ingress) {
    /** Where the proxy's files live in its container. */
    static final String CONFIG_DIR = "/etc/pandaproxy";

    static final String STATE_DIR = "/var/lib/pandaproxy";
    static final String PRINTER_CA_DIR = "/etc/pandaproxy/printer-ca";
    static final String SERVER_TLS_DIR = "/etc/pandaproxy/tls";
    static final String KNOWN_PINS_DIR = "/etc/pandaproxy/known-pins";
    /**
     * MediaMTX's loopback ports, on the printer's own loopback address ({@link #helperAddress()}): in HostNetwork mode
     * every pod of a node shares its loopback, so these are neither host ports nor the same address for two printers.
     */
    static final int PUBLISH_PORT = 8554;

    static final int MEDIAMTX_API_PORT = 9997;
    static final int MEDIAMTX_RTSPS_PORT = 8322;
    static final int MEDIAMTX_HLS_PORT = 8888;
    /** The proxy's passive FTP data ports: fixed, so they can be declared. */
    static final int FIRST_PASSIVE_PORT = 50000;

    static final int LAST_PASSIVE_PORT = 50009;

    /**
     * What printer pods run, from the operator's configuration (never from a printer's resource).
     *
     * @param proxy       this image, run as {@code proxy} (it has ffmpeg, which the proxy runs for RTSP printers)
     * @param mediamtx    the MediaMTX sidecar
     * @param pullSecrets the Secrets (in each printer's namespace) the kubelet pulls them with
     * @param resources   each container's requests and limits
     */
    public record Images(String proxy, String mediamtx, List<String> pullSecrets, Resources resources) {
        public Images {
            pullSecrets = List.copyOf(pullSecrets);
        }

        /** Images pulled without credentials, containers without requests. */
        public Images(String proxy, String mediamtx) {
            this(proxy, mediamtx, List.of(), new Resources(null, null));
        }
    }

    /**
     * Requests and limits per container of a printer pod; null leaves a container without any. A printer's
     * {@code spec.resources} replaces the proxy's.
     */
    public record Resources(ResourceRequirements proxy, ResourceRequirements mediamtx) {
        /** The operator's PRINTER_RESOURCES, as the chart renders it from its values. */
        public static Resources fromJson(String json) {
            try {
                return Serialization.unmarshal(json, Resources.class);
            } catch (RuntimeException e) {
                throw new ConfigException("PRINTER_RESOURCES is not JSON of the form {\"proxy\": "
                        + "{\"requests\": {\"cpu\": \"50m\"}, \"limits\": {…}}, \"mediamtx\": …}: "
                        + e.getMessage());
            }
        }
    }

    /**
     * One port the pod binds.
     *
     * @param name     port name (at most 15 characters)
     * @param port     the number
     * @param protocol TCP or UDP
     */
    public record Port(String name, int port, String protocol) {}

    /** The name of every object of this printer: {@code pandaproxy-<printer>}. */
    public String name() {
        return "pandaproxy-" + printer.getMetadata().getName();
    }

    /**
     * The operator's Secret for this printer's identity: the certificate issued by the installation's CA and the
     * printer's pinned fingerprints.
     */
    public String identitySecret() {
        return name() + "-tls";
    }

    /** The Secret with the certificate the proxy presents: the user's own, or the operator's issued one. */
    public String serverTlsSecret() {
        return spec().getServerCertificateSecret() != null ? spec().getServerCertificateSecret() : identitySecret();
    }

    /**
     * The address the proxy tells clients to use in what it relays (MQTT {@code net.info}, FTP passive replies) and
     * names in its certificate: in LoadBalancer mode the load balancer's, as assigned or else as asked for; the pod's
     * own address would be unreachable for clients. Empty in HostNetwork mode (the proxy's own address is the node's).
     */
    public Optional<String> advertisedAddress() {
        return hostNetwork()
                ? Optional.empty()
                : ingress.or(() -> Optional.ofNullable(spec().getNetwork().getLoadBalancerIP()));
    }

    public String namespace() {
        return printer.getMetadata().getNamespace();
    }

    public BambuPrinterSpec spec() {
        return printer.getSpec();
    }

    /** Labels on every object, and the pod selector. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "pandaproxy");
        labels.put("app.kubernetes.io/instance", printer.getMetadata().getName());
        labels.put("app.kubernetes.io/component", "proxy");
        labels.put("app.kubernetes.io/managed-by", "pandaproxy-operator");
        return labels;
    }

    public boolean rtsp() {
        return camera.equals("rtsp") && serves(BambuPrinterSpec.Service.CAMERA);
    }

    public boolean serves(BambuPrinterSpec.Service service) {
        return spec().getServices().contains(service);
    }

    public boolean hostNetwork() {
        return spec().getNetwork().getMode() == BambuPrinterSpec.NetworkMode.HOST_NETWORK;
    }

    /** The Secret with MediaMTX's configuration (RTSP printers). */
    public String mediamtxSecret() {
        return name() + "-mediamtx";
    }

    /**
     * This printer's own loopback address for MediaMTX, 127.x.y.z from a digest of its namespace and name: printers
     * whose pods share a node's loopback (HostNetwork) then never want the same address and port, whatever else runs.
     */
    public String helperAddress() {
        byte[] digest = DesiredDeployment.sha256(
                namespace() + "/" + printer.getMetadata().getName());
        // x.y from the digest, z in 2..254: never 127.0.0.1 (other programs' loopback services) nor a broadcast-like
        // .255
        return "127." + (digest[0] & 0xff) + "." + (digest[1] & 0xff) + "." + (2 + (digest[2] & 0xff) % 253);
    }

    /** Where the proxy listens: the node address given for this printer, or every address. */
    public String bindAddress() {
        return hostNetwork() && spec().getNetwork().getHostIP() != null
                ? spec().getNetwork().getHostIP()
                : "0.0.0.0";
    }

    /** Every port the pod binds, the printer's own numbers, so clients only change the address. */
    public List<Port> ports() {
        List<Port> ports = new ArrayList<>();
        if (serves(BambuPrinterSpec.Service.CAMERA) && !camera.equals("none")) {
            // the chamber camera, or on RTSP printers the slicer's file-browser tunnel
            ports.add(new Port("chamber", ServicePorts.CHAMBER, "TCP"));
        }
        if (rtsp()) {
            ports.add(new Port("rtsps", ServicePorts.RTSP, "TCP"));
        }
        if (serves(BambuPrinterSpec.Service.MQTT)) {
            ports.add(new Port("mqtts", ServicePorts.MQTT, "TCP"));
        }
        if (serves(BambuPrinterSpec.Service.FTP)) {
            ports.add(new Port("ftps", ServicePorts.FTP, "TCP"));
            for (int port = FIRST_PASSIVE_PORT; port <= LAST_PASSIVE_PORT; port++) {
                ports.add(new Port("ftp-data-" + (port - FIRST_PASSIVE_PORT), port, "TCP"));
            }
        }
        if (spec().getSlicer().isDiscovery()) {
            ports.add(new Port("discovery", ServicePorts.DISCOVERY, "UDP"));
        }
        if (spec().getSlicer().isDetect() || spec().getSlicer().isDiscovery()) {
            ports.add(new Port("detect", ServicePorts.DETECT, "TCP"));
            ports.add(new Port("detect-tls", ServicePorts.DETECT_TLS, "TCP"));
        }
        ports.add(new Port("http", spec().getNetwork().getHttpPort(), "TCP"));
        ports.add(new Port("https", spec().getNetwork().getHttpsPort(), "TCP"));
        return ports;
    }
}
