package dev.pandaproxy.operator;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.rtsp.CameraDetector;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The camera probes of {@code camera: auto}, kept off the reconcile's path: a reconcile that needs one starts it and
 * goes on; its result arrives as an event (the printer's key queued again) and is read by the next reconcile. One
 * probe per printer at a time, for one generation of its spec: a changed spec (a P1S swapped for an X1C) is probed
 * again. A probe that found nothing is forgotten once read, so the next look (after the key's backoff) probes again.
 */
final class CameraProbes {
    private final CameraProbe probe;
    private final Map<String, Running> probes = new ConcurrentHashMap<>();
    private volatile Consumer<String> done = key -> {};

    private record Running(long generation, CompletableFuture<CameraDetector.Detection> result) {}

    CameraProbes(CameraProbe probe) {
        this.probe = probe;
    }

    /** Who hears that a printer's probe finished (the controller, which queues the printer's key). */
    void whenDone(Consumer<String> listener) {
        this.done = listener;
    }

    /** The detection for this generation of the printer, once there; empty while its probe runs (started if need be). */
    Optional<CameraDetector.Detection> result(
            String key, long generation, BambuPrinter printer, Secret code, Optional<String> caBundle) {
        Running running = probes.compute(
                key,
                (k, old) -> old != null && old.generation() == generation
                        ? old
                        : start(key, generation, printer, code, caBundle));
        if (!running.result().isDone()) {
            return Optional.empty();
        }
        CameraDetector.Detection detection = running.result()
                .exceptionally(e -> new CameraDetector.Detection(
                        CameraConfig.Mode.NONE,
                        "the probe failed: " + e.getClass().getSimpleName()))
                .join();
        if (detection.mode() == CameraConfig.Mode.NONE) {
            probes.remove(key, running);
        }
        return Optional.of(detection);
    }

    /** The printer went away. */
    void forget(String key) {
        probes.remove(key);
    }

    private Running start(String key, long generation, BambuPrinter printer, Secret code, Optional<String> caBundle) {
        CompletableFuture<CameraDetector.Detection> result = CompletableFuture.supplyAsync(
                () -> probe.detect(printer, code, caBundle),
                task -> Thread.ofVirtual().name("camera-probe-" + key).start(task));
        result.whenComplete((detection, failure) -> done.accept(key));
        return new Running(generation, result);
    }
}
