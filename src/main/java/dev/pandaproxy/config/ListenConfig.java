package dev.pandaproxy.config;

import java.nio.file.Path;
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
        ServerTlsConfig tls) {}
