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
 * goes on; its result arrives as an event (the printer's key queued again) and is observed by the next reconcile. One
 * probe per printer at a time, for one generation of its spec: a changed spec (a P1S swapped for an X1C) is probed
 * again. A probe that found nothing is forgotten once acted on, so the next look (after the key's backoff) probes
 * again.
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

    /** Starts the probe of this generation of the printer, unless it runs or ran already. */
    void start(String key, long generation, BambuPrinter printer, Secret code, Optional<String> caBundle) {
        probes.compute(
                key,
                (k, old) -> old != null && old.generation() == generation
                        ? old
                        : launch(key, generation, printer, code, caBundle));
    }

    /** The detection of this generation of the printer, once its probe finished; empty while it runs or never ran. */
    Optional<CameraDetector.Detection> finished(String key, long generation) {
        Running running = probes.get(key);
        if (running == null
                || running.generation() != generation
                || !running.result().isDone()) {
            return Optional.empty();
        }
        return Optional.of(running.result()
                .exceptionally(e -> new CameraDetector.Detection(
                        CameraConfig.Mode.NONE,
                        "the probe failed: " + e.getClass().getSimpleName()))
                .join());
    }

    /** A probe that found nothing was acted on: the next look at the printer (after its backoff) probes again. */
    void used(String key, long generation) {
        probes.computeIfPresent(key, (k, old) -> old.generation() == generation ? null : old);
    }

    /** The printer went away. */
    void forget(String key) {
        probes.remove(key);
    }

    private Running launch(String key, long generation, BambuPrinter printer, Secret code, Optional<String> caBundle) {
        CompletableFuture<CameraDetector.Detection> result = CompletableFuture.supplyAsync(
                () -> probe.detect(printer, code, caBundle),
                task -> Thread.ofVirtual().name("camera-probe-" + key).start(task));
        result.whenComplete((detection, failure) -> done.accept(key));
        return new Running(generation, result);
    }
}
