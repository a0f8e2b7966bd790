package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** When a printer's Ready follows its Deployment: only once the latest spec runs. */
class RolloutTest {
    @Test
    void anAvailablePodOfThePreviousSpecIsNotReady() {
        // the spec was changed (generation 3); the controller has not looked yet, the old pod still answers
        assertThat(PrinterStatus.rolledOut(deployment(3, 2, 1, 1))).isFalse();
        // it looked, but the new pod is not there yet
        assertThat(PrinterStatus.rolledOut(deployment(3, 3, 0, 1))).isFalse();
        assertThat(PrinterStatus.rolledOut(deployment(3, 3, 1, 0))).isFalse();
    }

    @Test
    void theLatestSpecAvailableIsReady() {
        assertThat(PrinterStatus.rolledOut(deployment(3, 3, 1, 1))).isTrue();
    }

    @Test
    void noDeploymentOrNoStatusIsNotReady() {
        assertThat(PrinterStatus.rolledOut(null)).isFalse();
        assertThat(PrinterStatus.rolledOut(new DeploymentBuilder()
                        .withNewMetadata()
                        .withGeneration(1L)
                        .endMetadata()
                        .build()))
                .isFalse();
    }

    private static Deployment deployment(long generation, long observed, int updated, int available) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("pandaproxy-p1s")
                .withGeneration(generation)
                .endMetadata()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withUpdatedReplicas(updated)
                .withAvailableReplicas(available)
                .endStatus()
                .build();
    }
}
