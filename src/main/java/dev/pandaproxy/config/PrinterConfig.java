package dev.pandaproxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The printer the proxy stands in front of.
 *
 * @param host           printer address
 * @param serial         printer serial number (the CN of its certificate and part of its MQTT topics)
 * @param accessCode     LAN access code; masked in {@link #toString()}
 * @param ports          the printer's service ports
 * @param trust          how its certificate is verified
 * @param caFile         CA bundle for {@link TrustMode#CA}
 * @param knownPins      for {@link TrustMode#PIN}: fingerprints pinned before, to start from (a read-only file, e.g.
 *                       kept by the Kubernetes operator across pod restarts)
 * @param connectTimeout TCP connect and TLS handshake timeout
 * @param reconnect      reconnect delays
 */
public record PrinterConfig(
        String host,
        String serial,
        Secret accessCode,
        ServicePorts ports,
        TrustMode trust,
        Optional<Path> caFile,
        Optional<Path> knownPins,
        Duration connectTimeout,
        BackoffConfig reconnect) {

    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** {@code printer.*}. */
    static PrinterConfig from(ConfigReader r) {
        String host = r.required("printer.host", "printer address");
        String serial = r.required("printer.serial", "printer serial number");
        if (!SERIAL.matcher(serial).matches()) {
            throw new ConfigException(r.describe("printer.serial") + " = '" + serial
                    + "': a serial number has only letters and digits (as on the printer's label)");
        }
        Secret code = Secret.of(r.required("printer.access-code", "printer access code"));
        ServicePorts ports = ServicePorts.from(r, "printer.ports", false);
        TrustMode trust = r.string("printer.trust")
                .map(t -> TrustMode.parse(t, "printer.trust"))
                .orElse(TrustMode.PIN);
        Optional<Path> caFile = r.readableFile("printer.ca-file");
        if (trust == TrustMode.CA && caFile.isEmpty()) {
            throw new ConfigException(
                    "printer.trust = ca needs printer.ca-file (a PEM bundle such as the Bambu CA file)");
        }
        Optional<Path> knownPins = r.string("printer.known-pins").map(Path::of);
        BackoffConfig reconnect = new BackoffConfig(
                r.duration("printer.reconnect.initial", Duration.ofSeconds(1)),
                r.duration("printer.reconnect.max", Duration.ofSeconds(30)));
        if (reconnect.max().compareTo(reconnect.initial()) < 0) {
            throw new ConfigException("printer.reconnect.max must not be shorter than printer.reconnect.initial");
        }
        return new PrinterConfig(
                host,
                serial,
                code,
                ports,
                trust,
                caFile,
                knownPins,
                r.duration("printer.connect-timeout", Duration.ofSeconds(10)),
                reconnect);
    }
}
