package dev.pandaproxy.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where and what the proxy serves.
 *
 * @param bind     address of every listener
 * @param services enabled services
 * @param ports    listening ports (0 picks a free port)
 * @param discoveryPort UDP port where the printer's announcements are heard
 * @param detectPort    plain TCP port of the slicers' detect handshake
 * @param detectTlsPort TLS port of the slicers' detect handshake
 * @param advertiseAddress the address clients should use for the proxy, if configured
 * @param stateDir directory for the proxy CA, certificates and pinned printer fingerprints
 * @param tls      the certificate presented to clients
 */
public record ListenConfig(
        String bind,
        Set<Service> services,
        ServicePorts ports,
        int discoveryPort,
        int detectPort,
        int detectTlsPort,
        Optional<String> advertiseAddress,
        Path stateDir,
        ServerTlsConfig tls) {

    /**
     * {@code proxy.*} but the HTTP ports.
     *
     * @param defaultStateDir the state directory unless {@code proxy.state-dir} says otherwise
     */
    static ListenConfig from(ConfigReader r, Path defaultStateDir) {
        String bind = r.address("proxy.bind", r.string("proxy.bind", "0.0.0.0"));
        Set<Service> services = EnumSet.noneOf(Service.class);
        if (r.bool("proxy.enable-all", false)) {
            services.addAll(EnumSet.allOf(Service.class));
        } else {
            for (String name : r.list("proxy.services", List.of(Service.CAMERA.id()))) {
                services.add(Service.parse(name, r.describe("proxy.services")));
            }
        }
        if (services.isEmpty()) {
            throw new ConfigException(
                    r.describe("proxy.services") + " is empty: enable at least one of " + Service.allIds());
        }
        ServicePorts ports = ServicePorts.from(r, "proxy.ports", true);
        ServerTlsConfig tls = ServerTlsConfig.from(r);
        // clients use the bind address when it is a specific one; with a wildcard each service finds its own
        Optional<String> advertise = r.string("proxy.advertise-address")
                .map(a -> r.address("proxy.advertise-address", a))
                .or(() -> bind.equals("0.0.0.0") || bind.equals("::") ? Optional.empty() : Optional.of(bind));
        return new ListenConfig(
                bind,
                services,
                ports,
                r.port("proxy.ports.discovery", ServicePorts.DISCOVERY, true),
                r.port("proxy.ports.detect", ServicePorts.DETECT, true),
                r.port("proxy.ports.detect-tls", ServicePorts.DETECT_TLS, true),
                advertise,
                stateDir(r, defaultStateDir),
                tls);
    }

    /** {@code proxy.state-dir}, else {@code defaultStateDir}. */
    static Path stateDir(ConfigReader r, Path defaultStateDir) {
        return r.string("proxy.state-dir").map(Path::of).orElse(defaultStateDir);
    }
}
