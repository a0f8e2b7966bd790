package dev.pandaproxy.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The certificate the proxy presents to its clients.
 *
 * @param cert  PEM certificate chain supplied by the user (else one is issued by the proxy CA)
 * @param key   PEM private key matching {@code cert}
 * @param names extra DNS names and IP addresses for the issued certificate
 */
public record ServerTlsConfig(Optional<Path> cert, Optional<Path> key, List<String> names) {}
