package dev.pandaproxy.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who the printer is, as slicers see it.
 *
 * @param serial       serial number (SSDP {@code USN}, detect {@code id})
 * @param model        model code ({@code DevModel.bambu.com}, e.g. {@code C12} for a P1S)
 * @param name         the name the user gave it
 * @param version      firmware version
 * @param announcement the printer's own announcement, when it was heard (its headers are re-announced)
 */
public record PrinterIdentity(
        String serial, String model, String name, String version, Optional<SsdpMessage> announcement) {
    /** The NOTIFY a printer with this identity sends (every header slicers read), naming {@code location}. */
    public SsdpMessage asAnnouncement(String location) {
        return new SsdpMessage(
                SsdpMessage.NOTIFY,
                List.of(
                        Map.entry("Host", "239.255.255.250:1990"),
                        Map.entry("Server", "Buildroot/2018.02-rc3 UPnP/1.0 ssdpd/1.8"),
                        Map.entry("Location", location),
                        Map.entry("NT", SsdpMessage.PRINTER_TYPE),
                        Map.entry("NTS", "ssdp:alive"),
                        Map.entry("USN", serial),
                        Map.entry("Cache-Control", "max-age=1800"),
                        Map.entry("DevModel.bambu.com", model),
                        Map.entry("DevName.bambu.com", name),
                        Map.entry("DevSignal.bambu.com", "-50"),
                        Map.entry("DevConnect.bambu.com", "lan"),
                        Map.entry("DevBind.bambu.com", "free"),
                        Map.entry("Devseclink.bambu.com", "secure"),
                        Map.entry("DevInf.bambu.com", "eth0"),
                        Map.entry("DevVersion.bambu.com", version),
                        Map.entry("DevCap.bambu.com", "1")));
    }
}
