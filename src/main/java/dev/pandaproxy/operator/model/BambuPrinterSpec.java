package dev.pandaproxy.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pandaproxy.config.ServicePorts;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for: which printer, which services, and where the proxy pod may run. */
@ValidationRule(
        value = "!(has(self.network) && has(self.network.mode) && self.network.mode == 'LoadBalancer'"
                + " && has(self.slicer) && has(self.slicer.discovery) && self.slicer.discovery)",
        message =
                "slicer.discovery needs network.mode HostNetwork: the printer's UDP broadcasts do not cross the pod network "
                        + "to a LoadBalancer pod; use slicer.detect and add the printer in the slicer by its load balancer address")
public class BambuPrinterSpec {
    /** A host name or an IPv4/IPv6 address. */
    static final String HOST =
            "^([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$";

    @Required
    @Pattern(HOST)
    @JsonPropertyDescription("The printer's address on the LAN (host name or IP).")
    private String host;

    @Required
    @Pattern("^[A-Za-z0-9]{8,32}$")
    @JsonPropertyDescription("The printer's serial number, as on its label (letters and digits).")
    private String serial;

    @Required
    @JsonPropertyDescription("The Secret key holding the printer's LAN access code (key defaults to access-code).")
    private SecretKeyRef accessCodeSecret;

    @Size(min = 1, max = 3)
    @JsonPropertyDescription("Services to proxy (default: camera, mqtt, ftp).")
    private List<Service> services = new ArrayList<>(List.of(Service.CAMERA, Service.MQTT, Service.FTP));

    @Default("auto")
    @JsonPropertyDescription(
            "The camera: auto (the operator probes the printer), chamber (A1/P1), rtsp (X1/H2/P2) or none.")
    private Camera camera = Camera.AUTO;

    @JsonPropertyDescription("How the proxy verifies the printer's certificate.")
    private Trust trust = new Trust();

    @JsonPropertyDescription("How clients reach the proxy.")
    private Network network = new Network();

    @JsonPropertyDescription("Slicer features: re-announcement (UDP " + ServicePorts.DISCOVERY
            + ") and the detect handshake (" + ServicePorts.DETECT + "/" + ServicePorts.DETECT_TLS + ").")
    private Slicer slicer = new Slicer();

    @JsonPropertyDescription(
            "A Secret of type kubernetes.io/tls with the certificate the proxy presents (default: one issued by the proxy's CA).")
    private String serverCertificateSecret;

    @Pattern("^[A-Za-z0-9]{1,16}$")
    @JsonPropertyDescription(
            "The printer's model code, for model-specific camera options (N7: P2S, whose stream needs a longer probe).")
    private String model;

    private Map<String, String> nodeSelector = new LinkedHashMap<>();
    private Affinity affinity;
    private List<Toleration> tolerations = new ArrayList<>();
    private ResourceRequirements resources;

    /** The services a proxy can serve. */
    public enum Service {
        @JsonProperty("camera")
        CAMERA,
        @JsonProperty("mqtt")
        MQTT,
        @JsonProperty("ftp")
        FTP
    }

    /** Which camera the printer has. */
    public enum Camera {
        @JsonProperty("auto")
        AUTO,
        @JsonProperty("chamber")
        CHAMBER,
        @JsonProperty("rtsp")
        RTSP,
        @JsonProperty("none")
        NONE
    }

    /** How the proxy verifies the printer. */
    @ValidationRule(
            value = "self.mode != 'ca' || has(self.caSecret)",
            message = "trust.mode ca needs trust.caSecret: a Secret key holding the printer's CA bundle (PEM)")
    public static class Trust {
        @Default("pin")
        @JsonPropertyDescription("pin (trust the first certificate seen), ca (verify against caSecret) or insecure.")
        private TrustMode mode = TrustMode.PIN;

        @JsonPropertyDescription("For mode ca: the Secret key holding the PEM bundle (key defaults to ca.pem).")
        private SecretKeyRef caSecret;

        public TrustMode getMode() {
            return mode;
        }

        public void setMode(TrustMode mode) {
            this.mode = mode;
        }

        public SecretKeyRef getCaSecret() {
            return caSecret;
        }

        public void setCaSecret(SecretKeyRef caSecret) {
            this.caSecret = caSecret;
        }
    }

    /** Printer trust modes, as in the proxy's printer.trust. */
    public enum TrustMode {
        @JsonProperty("pin")
        PIN,
        @JsonProperty("ca")
        CA,
        @JsonProperty("insecure")
        INSECURE
    }

    /** How clients reach the proxy pod. */
    @ValidationRule(
            value = "self.mode == 'LoadBalancer' || !has(self.loadBalancerIP)",
            message = "network.loadBalancerIP applies to mode LoadBalancer only")
    @ValidationRule(
            value = "self.mode == 'HostNetwork' || !has(self.hostIP)",
            message = "network.hostIP applies to mode HostNetwork only")
    public static class Network {
        @Default("HostNetwork")
        @JsonPropertyDescription(
                "HostNetwork (the node's address, the printer's ports) or LoadBalancer (a Service with every port).")
        private NetworkMode mode = NetworkMode.HOST_NETWORK;

        @Pattern("^[0-9A-Fa-f:.]+$")
        @JsonPropertyDescription("For LoadBalancer: the address to ask for.")
        private String loadBalancerIP;

        @Pattern("^[0-9A-Fa-f:.]+$")
        @JsonPropertyDescription(
                "For HostNetwork: the node address this printer's proxy listens on, for nodes with one address "
                        + "per printer (default: every address of the node; then one printer per node).")
        private String hostIP;

        @Min(1024)
        @Max(65535)
        @Default("" + ServicePorts.HTTP)
        @JsonPropertyDescription("The proxy's HTTP port (status, metrics, health, /tls/ca.pem).")
        private int httpPort = ServicePorts.HTTP;

        @Min(1024)
        @Max(65535)
        @Default("" + ServicePorts.HTTPS)
        @JsonPropertyDescription("The proxy's HTTPS port (the camera over HTTP, with the proxy's certificate).")
        private int httpsPort = ServicePorts.HTTPS;

        public String getHostIP() {
            return hostIP;
        }

        public void setHostIP(String hostIP) {
            this.hostIP = hostIP;
        }

        public int getHttpPort() {
            return httpPort;
        }

        public void setHttpPort(int httpPort) {
            this.httpPort = httpPort;
        }

        public int getHttpsPort() {
            return httpsPort;
        }

        public void setHttpsPort(int httpsPort) {
            this.httpsPort = httpsPort;
        }

        public NetworkMode getMode() {
            return mode;
        }

        public void setMode(NetworkMode mode) {
            this.mode = mode;
        }

        public String getLoadBalancerIP() {
            return loadBalancerIP;
        }

        public void setLoadBalancerIP(String loadBalancerIP) {
            this.loadBalancerIP = loadBalancerIP;
        }
    }

    /** Network modes. */
    public enum NetworkMode {
        @JsonProperty("HostNetwork")
        HOST_NETWORK,
        @JsonProperty("LoadBalancer")
        LOAD_BALANCER
    }

    /** Slicer features of the proxy (off by default: two announcers for one printer confuse slicers). */
    public static class Slicer {
        @JsonPropertyDescription(
                "Re-announce the printer with the proxy's address (UDP " + ServicePorts.DISCOVERY + ").")
        private boolean discovery;

        @JsonPropertyDescription("Answer the slicers' detect handshake (TCP " + ServicePorts.DETECT + " and "
                + ServicePorts.DETECT_TLS + ").")
        private boolean detect;

        public boolean isDiscovery() {
            return discovery;
        }

        public void setDiscovery(boolean discovery) {
            this.discovery = discovery;
        }

        public boolean isDetect() {
            return detect;
        }

        public void setDetect(boolean detect) {
            this.detect = detect;
        }
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getSerial() {
        return serial;
    }

    public void setSerial(String serial) {
        this.serial = serial;
    }

    public SecretKeyRef getAccessCodeSecret() {
        return accessCodeSecret;
    }

    public void setAccessCodeSecret(SecretKeyRef accessCodeSecret) {
        this.accessCodeSecret = accessCodeSecret;
    }

    public List<Service> getServices() {
        return services;
    }

    public void setServices(List<Service> services) {
        this.services = services;
    }

    public Camera getCamera() {
        return camera;
    }

    public void setCamera(Camera camera) {
        this.camera = camera;
    }

    public Trust getTrust() {
        return trust;
    }

    public void setTrust(Trust trust) {
        this.trust = trust;
    }

    public Network getNetwork() {
        return network;
    }

    public void setNetwork(Network network) {
        this.network = network;
    }

    public Slicer getSlicer() {
        return slicer;
    }

    public void setSlicer(Slicer slicer) {
        this.slicer = slicer;
    }

    public String getServerCertificateSecret() {
        return serverCertificateSecret;
    }

    public void setServerCertificateSecret(String serverCertificateSecret) {
        this.serverCertificateSecret = serverCertificateSecret;
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
}
