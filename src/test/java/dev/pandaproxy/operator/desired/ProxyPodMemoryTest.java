package dev.pandaproxy.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.operator.Printers;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyPodMemoryTest {
    @Test
    void withoutResourcesFromThePrinterOrTheOperatorTheProxyGetsTheMeasuredMemoryRequestAndLimit() {
        ProxyPod pod = new ProxyPod(
                Printers.printer("printers", "p1s", "192.168.1.42"),
                "chamber",
                new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0", "bluenviron/mediamtx:1.20.1"),
                "",
                Optional.empty());
        ResourceRequirements resources = DesiredDeployment.of(pod)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getResources();
        assertThat(resources.getRequests()).containsEntry("memory", new Quantity(ProxyPodMemory.REQUEST));
        assertThat(resources.getLimits()).containsEntry("memory", new Quantity(ProxyPodMemory.LIMIT));
    }
}
