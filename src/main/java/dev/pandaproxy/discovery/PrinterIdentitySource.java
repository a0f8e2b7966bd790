package dev.pandaproxy.discovery;

import dev.pandaproxy.config.SlicerConfig;
import dev.pandaproxy.net.LogText;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The printer's identity for slicers, from the best source available: its own announcement when the
 * proxy hears it, else the configuration ({@code slicer.model}, {@code slicer.name},
 * {@code slicer.version}) with the firmware version learnt over MQTT ({@code get_version}).
 */
public final class PrinterIdentitySource {
    private static final System.Logger LOG = System.getLogger(PrinterIdentitySource.class.getName());

    private final String serial;
    private final SlicerConfig config;
    private final Supplier<Optional<String>> mqttVersion;
    private volatile SsdpMessage heard;

    /**
     * @param mqttVersion the firmware version the MQTT service learnt, if any
     */
    public PrinterIdentitySource(String serial, SlicerConfig config, Supplier<Optional<String>> mqttVersion) {
        this.serial = serial;
        this.config = config;
        this.mqttVersion = mqttVersion;
    }

    /** An announcement heard on the network; kept when it is the printer's. */
    void heard(SsdpMessage announcement) {
        if (announcement.header("USN").filter(serial::equals).isPresent()
                && announcement.header("DevModel.bambu.com").isPresent()) {
            if (heard == null) {
                LOG.log(
                        Level.INFO,
                        "discovery: heard the printer announce itself as {0} ({1}, firmware {2})",
                        LogText.escape(announcement.header("DevName.bambu.com").orElse("?")),
                        LogText.escape(announcement.header("DevModel.bambu.com").orElse("?")),
                        LogText.escape(
                                announcement.header("DevVersion.bambu.com").orElse("?")));
            }
            heard = announcement;
        }
    }

    /** The identity, or empty while the model is unknown (not heard, not configured). */
    public Optional<PrinterIdentity> current() {
        SsdpMessage announcement = heard;
        if (announcement != null) {
            return Optional.of(new PrinterIdentity(
                    serial,
                    announcement.header("DevModel.bambu.com").orElseThrow(),
                    announcement.header("DevName.bambu.com").orElse(serial),
                    announcement.header("DevVersion.bambu.com").orElse(""),
                    Optional.of(announcement)));
        }
        return config.model()
                .map(model -> new PrinterIdentity(
                        serial,
                        model,
                        config.name().orElse(serial),
                        config.version().or(mqttVersion).orElse(""),
                        Optional.empty()));
    }
}
