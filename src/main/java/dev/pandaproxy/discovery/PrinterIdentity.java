package dev.pandaproxy.discovery;

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
public record PrinterIdentity(String serial, String model, String name, String version, Optional<SsdpMessage> announcement) {
}
