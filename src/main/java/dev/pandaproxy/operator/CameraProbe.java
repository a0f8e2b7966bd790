package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.CameraConfig.Mode;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.rtsp.CameraDetector;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.PrinterTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves {@code camera: auto} from the operator, with the proxy's own detector and the printer's {@code spec.trust}
 * applied as the proxy applies it: the chamber probe logs in with the access code, which must reach the printer and
 * nothing that merely answers at its address. With {@code pin} the operator keeps its own pins (the first
 * certificate seen per port, then only that one), per printer under {@code stateDir}; a new operator pod pins anew.
 *
 * @param ports    the printer's ports (the printer's defaults, except in tests)
 * @param timeout  how long each probe may take
 * @param stateDir where the pins and CA bundles of each printer are kept ({@code <namespace>/<name>/})
 */
record CameraProbe(ServicePorts ports, Duration timeout, Path stateDir) {
    /**
     * @param caBundle the PEM bundle of {@code spec.trust.caSecret} for trust {@code ca}; empty when it is not (yet)
     *                 there, and then no probe is made
     */
    CameraDetector.Detection detect(BambuPrinter printer, Secret accessCode, Optional<String> caBundle) {
        BambuPrinterSpec spec = printer.getSpec();
        TrustMode mode = TrustMode.valueOf(spec.getTrust().getMode().name());
        Path dir = stateDir.resolve(printer.getMetadata().getNamespace())
                .resolve(printer.getMetadata().getName());
        try {
            Files.createDirectories(dir);
            Optional<Path> caFile = Optional.empty();
            if (mode == TrustMode.CA) {
                if (caBundle.isEmpty() || Pem.parseCertificates(caBundle.get()).isEmpty()) {
                    return new CameraDetector.Detection(
                            Mode.NONE,
                            "not probed: trust.mode is ca and trust.caSecret "
                                    + spec.getTrust().getCaSecret().getName()
                                    + " holds no PEM certificate under its key");
                }
                caFile = Optional.of(Files.writeString(dir.resolve("printer-ca.pem"), caBundle.get()));
            }
            PrinterConfig config = new PrinterConfig(
                    spec.getHost(),
                    spec.getSerial(),
                    accessCode,
                    ports,
                    mode,
                    caFile,
                    Optional.empty(),
                    timeout,
                    new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            // the serial in the pin file's name: another printer behind the same resource starts without pins
            PrinterTrust trust = PrinterTrust.create(
                    mode, caFile, dir.resolve(spec.getSerial() + "-pins.properties"), spec.getSerial());
            return CameraDetector.detect(trust.clientContext(), config, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
