package dev.pandaproxy.discovery;

import java.util.List;
import java.util.Map;

/** The proxy's announcements of the printer, as pure functions of its identity. */
final class Announcements {
    /** Marks the proxy's own datagrams, so its listener does not take them for the printer's. */
    static final String ANNOUNCER_HEADER = "X-PandaProxy-Announcer";

    private Announcements() {}

    /**
     * The printer's NOTIFY as the slicer should see it: every header the printer sends (or the standard
     * set), with {@code Location} the proxy, {@code DevBind} free (so the slicer uses LAN mode) and the
     * name suffixed.
     */
    static SsdpMessage alive(PrinterIdentity printer, String location, String nameSuffix, String announcer) {
        SsdpMessage base = printer.announcement().orElseGet(() -> printer.asAnnouncement(location));
        String name = printer.name().endsWith(nameSuffix) ? printer.name() : printer.name() + nameSuffix;
        return base.startingWith(SsdpMessage.NOTIFY)
                .with("Location", location)
                .with("NTS", "ssdp:alive")
                .with("DevName.bambu.com", name)
                .with("DevConnect.bambu.com", "lan")
                .with("DevBind.bambu.com", "free")
                .with(ANNOUNCER_HEADER, announcer);
    }

    /** The answer to a slicer's M-SEARCH: the same headers, {@code ST} instead of {@code NT}/{@code NTS}. */
    static SsdpMessage searchResponse(PrinterIdentity printer, String location, String nameSuffix, String announcer) {
        SsdpMessage alive = alive(printer, location, nameSuffix, announcer);
        return alive.startingWith(SsdpMessage.RESPONSE)
                .without("NT")
                .without("NTS")
                .without("Host")
                .with("ST", SsdpMessage.PRINTER_TYPE);
    }

    /** The goodbye sent at shutdown. */
    static SsdpMessage byebye(PrinterIdentity printer, String announcer) {
        return new SsdpMessage(
                SsdpMessage.NOTIFY,
                List.of(
                        Map.entry("Host", "239.255.255.250:1990"),
                        Map.entry("NT", SsdpMessage.PRINTER_TYPE),
                        Map.entry("NTS", "ssdp:byebye"),
                        Map.entry("USN", printer.serial()),
                        Map.entry(ANNOUNCER_HEADER, announcer)));
    }
}
