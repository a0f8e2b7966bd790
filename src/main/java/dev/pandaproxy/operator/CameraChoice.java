package dev.pandaproxy.operator;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The camera a printer's proxy serves, decided as a pure function of its spec, its status and the observed probe:
 * the spec's choice; else the one found for this generation of the spec; else, once its probe answered, what the probe
 * found. A changed spec (a new generation: another host, or a P1S swapped for an X1C under the same name) is probed
 * again; while that probe runs, the camera found before stays.
 *
 * @param name     {@code chamber}, {@code rtsp} or {@code none}; empty while the printer's first probe runs
 * @param fromSpec the spec names the camera
 * @param probed   the probe of this generation answered, and this is what it found
 * @param probe    a probe of this generation is needed (and started, unless it runs already)
 */
record CameraChoice(Optional<String> name, boolean fromSpec, Optional<CameraDetector.Detection> probed, boolean probe) {
    static CameraChoice of(BambuPrinter printer, Optional<CameraDetector.Detection> observedProbe) {
        BambuPrinterSpec spec = printer.getSpec();
        if (spec.getCamera() != BambuPrinterSpec.Camera.AUTO) {
            return new CameraChoice(Optional.of(lower(spec.getCamera())), true, Optional.empty(), false);
        }
        BambuPrinterStatus status = printer.getStatus() == null ? new BambuPrinterStatus() : printer.getStatus();
        long generation = Objects.requireNonNullElse(printer.getMetadata().getGeneration(), 0L);
        boolean detected = status.getConditions().stream()
                .filter(c -> c.getType().equals("CameraDetected"))
                .filter(c -> c.getStatus().equals("True"))
                .map(Condition::getObservedGeneration)
                .anyMatch(observed -> Objects.equals(observed, generation));
        if (detected && status.getCamera() != null && !status.getCamera().equals("none")) {
            return new CameraChoice(Optional.of(status.getCamera()), false, Optional.empty(), false);
        }
        if (observedProbe.isPresent()) {
            return new CameraChoice(Optional.of(lower(observedProbe.get().mode())), false, observedProbe, false);
        }
        return new CameraChoice(Optional.ofNullable(status.getCamera()), false, Optional.empty(), true);
    }

    /** A probe of {@code camera: auto} answered "none" now: the printer is looked at again after its backoff. */
    boolean noneFoundNow() {
        return probed.filter(detection -> detection.mode() == CameraConfig.Mode.NONE)
                .isPresent();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
