package dev.pandaproxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the proxy does for slicers (Bambu Studio, OrcaSlicer): discovery and the bind handshake.
 *
 * @param discovery        re-announce the printer (SSDP-style NOTIFY on UDP) with the proxy's address
 * @param interfaces       network interfaces to announce on (empty: every interface that is up and has IPv4)
 * @param announcePort     UDP port slicers listen on
 * @param announceInterval time between announcements
 * @param nameSuffix       appended to the printer's name in announcements
 * @param detect           answer the slicer's detect handshake on the detect ports
 * @param extraPorts       relay the extra ports ({@code extraPortRange}) to the printer as they are
 * @param extraPortRange   TCP ports some slicers open on the printer (2024–2026)
 * @param model            the printer's model code when its own announcement cannot be heard (e.g. C12)
 * @param name             its name, likewise
 * @param version          its firmware version, likewise (else learnt over MQTT)
 */
public record SlicerConfig(
        boolean discovery,
        List<String> interfaces,
        int announcePort,
        Duration announceInterval,
        String nameSuffix,
        boolean detect,
        boolean extraPorts,
        FtpConfig.PortRange extraPortRange,
        Optional<String> model,
        Optional<String> name,
        Optional<String> version) {

    /** The ports some slicers open on the printer, relayed as they are when {@code slicer.extra-ports} is on. */
    public static final FtpConfig.PortRange EXTRA_PORT_RANGE = new FtpConfig.PortRange(2024, 2026);

    /** {@code slicer.*}. */
    static SlicerConfig from(ConfigReader r) {
        boolean discovery = r.bool("slicer.discovery", false);
        return new SlicerConfig(
                discovery,
                r.list("slicer.interfaces", List.of()),
                r.port("slicer.announce-port", ServicePorts.DISCOVERY, false),
                r.duration("slicer.announce-interval", Duration.ofSeconds(10)),
                r.string("slicer.name-suffix", " (proxy)"),
                r.bool("slicer.detect", discovery),
                r.bool("slicer.extra-ports", false),
                FtpConfig.PortRange.from(r, "slicer.extra-port-range").orElse(EXTRA_PORT_RANGE),
                r.string("slicer.model"),
                r.string("slicer.name"),
                r.string("slicer.version"));
    }
}
