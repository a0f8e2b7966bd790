package dev.pandaproxy.operator.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.util.HashMap;
import java.util.Map;

/**
 * The memory of a printer pod's proxy container where its BambuPrinter's {@code resources} name none: what the
 * proxy takes with the image's JVM options (src/main/jvm/jvm.options, a heap of at most 128 MB), as the
 * footprint benchmark measures it (BENCHMARKS.md, "Footprint"). Change them together.
 */
public final class ProxyPodMemory {
    /** What the scheduler reserves: a proxy serving 50 camera viewers at 5 fps and 10 MQTT clients. */
    public static final String REQUEST = "128Mi";
    /** The ceiling: the heap's bound and the JVM's own memory, enough for 200 viewers at 30 fps. */
    public static final String LIMIT = "256Mi";

    private static final String MEMORY = "memory";

    private ProxyPodMemory() {
    }

    /** {@code configured} (may be null) with the memory request and limit added where it has none. */
    static ResourceRequirements withDefaults(ResourceRequirements configured) {
        ResourceRequirements base = configured != null ? configured : new ResourceRequirements();
        Map<String, Quantity> requests = new HashMap<>(base.getRequests() != null ? base.getRequests() : Map.of());
        Map<String, Quantity> limits = new HashMap<>(base.getLimits() != null ? base.getLimits() : Map.of());
        requests.putIfAbsent(MEMORY, new Quantity(REQUEST));
        limits.putIfAbsent(MEMORY, new Quantity(LIMIT));
        return new ResourceRequirementsBuilder(base).withRequests(requests).withLimits(limits).build();
    }
}
