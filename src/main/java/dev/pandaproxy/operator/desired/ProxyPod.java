package dev.pandaproxy.operator.desired;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts every object of one printer's proxy derives from: names, labels, the camera in use, and every port the
 * pod binds (declared as host ports in HostNetwork mode, so the scheduler never puts two printers that need the
 * same ports on one node).
 *
 * @param printer the resource
 * @param camera  the camera in use: {@code chamber}, {@code rtsp} or {@code none} (auto already resolved)
 * @param images  the images the pod runs
 */
public record ProxyPod(BambuPrinter printer, String camera, Images images) {
    /** Where the proxy's files live in its container. */
    static final String CONFIG_DIR = "/etc/pandaproxy";
    static final String STATE_DIR = "/var/lib/pandaproxy";
    static final String PRINTER_CA_DIR = "/etc/pandaproxy/printer-ca";
    static final String SERVER_TLS_DIR = "/etc/pandaproxy/tls";
    public static final int HTTP_PORT = 8080;
    /** The camera over HTTP lives here (plain HTTP refuses it). */
    public static final int HTTPS_PORT = 8443;
    /** Loopback ports of the RTSP helpers (the pod shares the node's loopback in HostNetwork mode). */
    static final int PUBLISH_PORT = 8554;
    static final int MEDIAMTX_API_PORT = 9997;
    static final int BRIDGE_PORT = 8555;
    static final int MEDIAMTX_RTSPS_PORT = 8322;
    /** The proxy's passive FTP data ports: fixed, so they can be declared. */
    static final int FIRST_PASSIVE_PORT = 50000;
    static final int LAST_PASSIVE_PORT = 50009;

    /**
     * @param proxy    this image, run as {@code proxy}
     * @param mediamtx the MediaMTX sidecar
     * @param ffmpeg   the ffmpeg sidecar (an image with ffmpeg on its PATH)
     */
    public record Images(String proxy, String mediamtx, String ffmpeg) {
    }

    /**
     * One port the pod binds.
     *
     * @param name     port name (at most 15 characters)
     * @param port     the number
     * @param protocol TCP or UDP
     * @param loopback bound on loopback only (declared, so the scheduler knows, but not exposed by a Service)
     */
    public record Port(String name, int port, String protocol, boolean loopback) {
    }

    /** The name of every object of this printer: {@code pandaproxy-<printer>}. */
    public String name() {
        return "pandaproxy-" + printer.getMetadata().getName();
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

    /** Every port the pod binds, the printer's own numbers, so clients only change the address. */
    public List<Port> ports() {
        List<Port> ports = new ArrayList<>();
        if (serves(BambuPrinterSpec.Service.CAMERA) && !camera.equals("none")) {
            // the chamber camera, or on RTSP printers the slicer's file-browser tunnel
            ports.add(new Port("chamber", 6000, "TCP", false));
        }
        if (rtsp()) {
            ports.add(new Port("rtsps", 322, "TCP", false));
            ports.add(new Port("rtsp-publish", PUBLISH_PORT, "TCP", true));
            ports.add(new Port("mediamtx-api", MEDIAMTX_API_PORT, "TCP", true));
            ports.add(new Port("mediamtx-rtsps", MEDIAMTX_RTSPS_PORT, "TCP", true));
            ports.add(new Port("camera-bridge", BRIDGE_PORT, "TCP", true));
        }
        if (serves(BambuPrinterSpec.Service.MQTT)) {
            ports.add(new Port("mqtts", 8883, "TCP", false));
        }
        if (serves(BambuPrinterSpec.Service.FTP)) {
            ports.add(new Port("ftps", 990, "TCP", false));
            for (int port = FIRST_PASSIVE_PORT; port <= LAST_PASSIVE_PORT; port++) {
                ports.add(new Port("ftp-data-" + (port - FIRST_PASSIVE_PORT), port, "TCP", false));
            }
        }
        if (spec().getSlicer().isDiscovery()) {
            ports.add(new Port("discovery", 2021, "UDP", false));
        }
        if (spec().getSlicer().isDetect() || spec().getSlicer().isDiscovery()) {
            ports.add(new Port("detect", 3000, "TCP", false));
            ports.add(new Port("detect-tls", 3002, "TCP", false));
        }
        ports.add(new Port("http", HTTP_PORT, "TCP", false));
        ports.add(new Port("https", HTTPS_PORT, "TCP", false));
        return ports;
    }
}
