package dev.pandaproxy.config;

import java.time.Duration;
import java.util.Locale;
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

    /** {@code ftp.*}. */
    static FtpConfig from(ConfigReader r) {
        String modeName = r.string("ftp.mode", "proxy");
        Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "proxy" -> Mode.PROXY;
            case "passthrough" -> Mode.PASSTHROUGH;
            default -> throw new ConfigException("ftp.mode = '" + modeName + "': use proxy or passthrough");
        };
        String printerData = r.string("ftp.printer-data", "private");
        if (!printerData.equals("private") && !printerData.equals("clear")) {
            throw new ConfigException(
                    "ftp.printer-data = '" + printerData + "': use private (PROT P) or clear (PROT C)");
        }
        return new FtpConfig(
                mode,
                r.positive("ftp.max-clients", 16),
                r.positive("ftp.printer-sessions", 2),
                r.duration("ftp.queue-timeout", Duration.ofSeconds(60)),
                PortRange.from(r, "ftp.passive-ports"),
                printerData.equals("clear"),
                r.duration("ftp.idle-timeout", Duration.ofMinutes(5)),
                r.duration("ftp.login-timeout", Duration.ofSeconds(30)),
                r.duration("ftp.write-timeout", Duration.ofSeconds(30)),
                r.bool("ftp.require-session-reuse", true),
                r.duration("ftp.data-timeout", Duration.ofSeconds(60)),
                r.positive("ftp.max-line", 4096),
                PortRange.from(r, "ftp.passthrough-ports").orElse(new PortRange(50_000, 50_100)));
    }

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
        /** The range {@code key} gives, if any. */
        static Optional<PortRange> from(ConfigReader r, String key) {
            return r.string(key).map(text -> parse(key, text));
        }

        private static PortRange parse(String key, String text) {
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
