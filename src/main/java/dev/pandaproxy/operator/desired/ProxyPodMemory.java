package dev.pandaproxy.operator.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * The memory of a printer pod's proxy container where neither its BambuPrinter's {@code resources} nor the
 * operator's PRINTER_RESOURCES set any: what the proxy takes with the image's JVM options
 * (src/main/jvm/jvm.options, a heap of at most 128 MB), as the footprint benchmark measures it (BENCHMARKS.md,
 * "Footprint"). Change them together.
 */
public final class ProxyPodMemory {
    /** What the scheduler reserves: a proxy serving 50 camera viewers at 5 fps and 10 MQTT clients. */
    public static final String REQUEST = "128Mi";
    /** The ceiling: the heap's bound and the JVM's own memory, enough for 200 viewers at 30 fps. */
    public static final String LIMIT = "256Mi";

    private ProxyPodMemory() {}

    static ResourceRequirements defaults() {
        return new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity(REQUEST))
                .addToLimits("memory", new Quantity(LIMIT))
                .build();
    }
}
