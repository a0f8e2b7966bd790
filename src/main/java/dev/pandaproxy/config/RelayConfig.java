package dev.pandaproxy.config;

import java.time.Duration;

/**
 * The raw TCP relays (the RTSPS port, the file tunnel of RTSP printers, FTP passthrough, the extra slicer ports),
 * which cannot check a login themselves.
 *
 * @param firstByteTimeout a client must send its first bytes within this time; only then is the printer connected
 *                         (on ports whose client speaks first: the RTSPS port, the file tunnel, the FTP passthrough
 *                         control port)
 * @param idleTimeout      a relayed connection without a byte in either direction for this long is closed
 * @param maxClients       connections at once per port of the file tunnel and the extra slicer ports (the RTSPS
 *                         port has {@code camera.max-clients}, FTP passthrough {@code ftp.max-clients})
 */
public record RelayConfig(Duration firstByteTimeout, Duration idleTimeout, int maxClients) {
    /** {@code relay.*}. */
    static RelayConfig from(ConfigReader r) {
        return new RelayConfig(
                r.duration("relay.first-byte-timeout", Duration.ofSeconds(10)),
                r.duration("relay.idle-timeout", Duration.ofMinutes(5)),
                r.positive("relay.max-clients", 16));
    }
}
