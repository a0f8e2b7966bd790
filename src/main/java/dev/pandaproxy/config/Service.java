package dev.pandaproxy.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A printer service the proxy can serve; the names are those of {@code --services}. */
public enum Service {
    CAMERA,
    MQTT,
    FTP;

    /** The lower-case name used on the command line and in YAML. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The service named {@code text}.
     *
     * @param source where the name came from, for the error message
     */
    public static Service parse(String text, String source) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (Service service : values()) {
            if (service.id().equals(wanted)) {
                return service;
            }
        }
        throw new ConfigException(
                "unknown service '" + text.strip() + "' in " + source + ": use a comma-separated list of " + allIds());
    }

    static String allIds() {
        return Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "));
    }
}
