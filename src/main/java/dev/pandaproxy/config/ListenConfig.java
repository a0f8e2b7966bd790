package dev.pandaproxy.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where and what the proxy serves.
 *
 * @param bind     address of every listener
 * @param services enabled services
 * @param ports    listening ports (0 picks a free port)
 * @param stateDir directory for the proxy CA, certificates and pinned printer fingerprints
 * @param tls      the certificate presented to clients
 */
public record ListenConfig(String bind, Set<Service> services, ServicePorts ports, Path stateDir, ServerTlsConfig tls) {
}
