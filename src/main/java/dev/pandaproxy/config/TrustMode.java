package dev.pandaproxy.config;

import java.util.Locale;

/** How the proxy verifies the printer's certificate. */
public enum TrustMode {
    /** Trust on first use: remember the certificate's SHA-256 fingerprint, refuse a different one later. */
    PIN,
    /** Verify the chain against a CA bundle the user supplies (e.g. the Bambu CA file) and CN = serial. */
    CA,
    /** Accept any certificate. */
    INSECURE;

    static TrustMode parse(String text, String key) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " = '" + text + "': use pin, ca or insecure");
        }
    }
}
