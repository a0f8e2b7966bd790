package dev.pandaproxy.operator.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyPodMemoryTest {
    @Test
    void aPrinterWithoutResourcesGetsTheMeasuredMemoryRequestAndLimit() {
        var resources = ProxyPodMemory.withDefaults(null);
        assertThat(resources.getRequests()).containsEntry("memory", new Quantity(ProxyPodMemory.REQUEST));
        assertThat(resources.getLimits()).containsEntry("memory", new Quantity(ProxyPodMemory.LIMIT));
    }

    @Test
    void whatThePrinterSetsIsKeptAndOnlyTheMissingMemoryIsAdded() {
        var resources = ProxyPodMemory.withDefaults(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build());
        assertThat(resources.getRequests()).containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity(ProxyPodMemory.REQUEST));
        assertThat(resources.getLimits()).containsEntry("memory", new Quantity("512Mi")).hasSize(1);
    }
}
