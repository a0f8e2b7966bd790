package dev.pandaproxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The printer the proxy stands in front of.
 *
 * @param host           printer address
 * @param serial         printer serial number (the CN of its certificate and part of its MQTT topics)
 * @param accessCode     LAN access code; masked in {@link #toString()}
 * @param ports          the printer's service ports
 * @param trust          how its certificate is verified
 * @param caFile         CA bundle for {@link TrustMode#CA}
 * @param knownPins      for {@link TrustMode#PIN}: fingerprints pinned before, to start from (a read-only file, e.g.
 *                       kept by the Kubernetes operator across pod restarts)
 * @param connectTimeout TCP connect and TLS handshake timeout
 * @param reconnect      reconnect delays
 */
public record PrinterConfig(
        String host,
        String serial,
        Secret accessCode,
        ServicePorts ports,
        TrustMode trust,
        Optional<Path> caFile,
        Optional<Path> knownPins,
        Duration connectTimeout,
        BackoffConfig reconnect) {}
