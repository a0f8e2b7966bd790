package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.rtsp.CameraDetector;
import dev.pandaproxy.tls.PrinterTrust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Resolves {@code camera: auto} from the operator, with the proxy's own detector. The operator keeps no pinned
 * fingerprints, so this probe does not verify the printer's certificate; it only learns which camera answers.
 *
 * @param ports   the printer's ports (the printer's defaults, except in tests)
 * @param timeout how long each probe may take
 */
record CameraProbe(ServicePorts ports, Duration timeout) {
    CameraDetector.Detection detect(BambuPrinterSpec spec, Secret accessCode) {
        PrinterConfig printer = new PrinterConfig(spec.getHost(), spec.getSerial(), accessCode, ports, TrustMode.INSECURE,
                Optional.empty(), Optional.empty(), timeout, new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        try {
            // insecure trust keeps no pins: the pin file is never touched
            return CameraDetector.detect(PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), Path.of("no-pins"),
                    spec.getSerial()).clientContext(), printer, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
