package dev.pandaproxy.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The FTPS service (port 990).
 *
 * @param mode             {@code proxy} (TLS terminated, transfers checked) or {@code passthrough} (raw TCP relay)
 * @param maxClients       client control connections at once
 * @param printerSessions  printer FTP sessions at once; further clients wait their turn
 * @param queueTimeout     how long a client waits for a printer session before a clear refusal
 * @param passivePorts     the proxy's passive data ports (empty: any free port)
 * @param clearDataToPrinter use an unencrypted data channel toward the printer ({@code PROT C}), for
 *                         printers whose TLS data channel is unreliable (reported for A1)
 * @param idleTimeout      a control connection silent this long is closed
 * @param loginTimeout     a client not logged in this long after connecting is closed
 * @param writeTimeout     a client that takes no reply for this long is cut off
 * @param requireSessionReuse whether a client's TLS data connection must resume its control connection's
 *                         session (as the printer demands); off, any TLS data connection from the client's
 *                         address is taken, which another program at that address could abuse
 * @param dataTimeout      waiting for, or stalling on, a data connection this long fails the transfer
 * @param maxLineBytes     longest command line accepted
 * @param passthroughPorts in passthrough mode, the printer's passive ports to relay
 */
public record FtpConfig(
        Mode mode,
        int maxClients,
        int printerSessions,
        Duration queueTimeout,
        Optional<PortRange> passivePorts,
        boolean clearDataToPrinter,
        Duration idleTimeout,
        Duration loginTimeout,
        Duration writeTimeout,
        boolean requireSessionReuse,
        Duration dataTimeout,
        int maxLineBytes,
        PortRange passthroughPorts) {

    /** How FTP is proxied. */
    public enum Mode {
        PROXY,
        PASSTHROUGH
    }

    /**
     * An inclusive range of TCP ports.
     *
     * @param first first port
     * @param last  last port
     */
    public record PortRange(int first, int last) {
        static PortRange parse(String key, String text) {
            String[] parts = text.strip().split("\\s*-\\s*");
            try {
                int first = Integer.parseInt(parts[0]);
                int last = parts.length > 1 ? Integer.parseInt(parts[1]) : first;
                if (parts.length <= 2 && first >= 1 && last <= 65_535 && first <= last) {
                    return new PortRange(first, last);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new ConfigException(key + " = '" + text + "': use a port range such as 50000-50100");
        }

        public int size() {
            return last - first + 1;
        }
    }
}
