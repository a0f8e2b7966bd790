package dev.pandaproxy.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code /status} shows.
 *
 * @param version       PandaProxy version
 * @param startedAt     when the proxy started
 * @param printer       the printer, without its access code
 * @param caFingerprint SHA-256 of the proxy CA users import
 * @param printerPins   the printer's certificate fingerprints pinned so far, by printer port (trust on first use;
 *                      public facts: the Kubernetes operator keeps them across pod restarts)
 * @param camera        the printer's camera, when the camera service is enabled
 * @param services      every enabled service
 */
public record ProxyStatus(
        String version,
        Instant startedAt,
        Printer printer,
        String caFingerprint,
        Map<Integer, String> printerPins,
        Optional<Camera> camera,
        List<ServiceStatus> services) {
    /**
     * @param type   {@code chamber}, {@code rtsp} or {@code none}
     * @param detail how it was decided (configuration, or what the probes saw)
     */
    public record Camera(String type, String detail) {}

    /**
     * @param host   printer address
     * @param serial serial number
     * @param trust  how its certificate is trusted
     */
    public record Printer(String host, String serial, String trust) {}
}
