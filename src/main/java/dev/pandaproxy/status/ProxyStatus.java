package dev.pandaproxy.status;

import java.time.Instant;
import java.util.List;

/**
 * What {@code /status} shows.
 *
 * @param version       PandaProxy version
 * @param startedAt     when the proxy started
 * @param printer       the printer, without its access code
 * @param caFingerprint SHA-256 of the proxy CA users import
 * @param services      every enabled service
 */
public record ProxyStatus(String version, Instant startedAt, Printer printer, String caFingerprint,
                          List<ServiceStatus> services) {
    /**
     * @param host   printer address
     * @param serial serial number
     * @param trust  how its certificate is trusted
     */
    public record Printer(String host, String serial, String trust) {
    }
}
