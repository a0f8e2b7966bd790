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
public record ServerTlsConfig(Optional<Path> cert, Optional<Path> key, List<String> names) {
    /** {@code proxy.tls.*}. */
    static ServerTlsConfig from(ConfigReader r) {
        Optional<Path> cert = r.readableFile("proxy.tls.cert");
        Optional<Path> key = r.readableFile("proxy.tls.key");
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException("proxy.tls.cert and proxy.tls.key go together: set both or neither");
        }
        return new ServerTlsConfig(cert, key, r.list("proxy.tls.names", List.of()));
    }
}
