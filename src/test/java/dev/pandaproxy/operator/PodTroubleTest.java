package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a proxy pod's status says is wrong, and what the printer's Ready condition then tells the user to do. */
class PodTroubleTest {
    @Test
    void aSecondPrinterOnTheSameNodeIsAPortConflictWithTheWaysOut() {
        Pod pending = Printers.portConflict("printers", "pandaproxy-p1s-abc", Map.of());

        assertThat(PodTrouble.of(pending)).hasValueSatisfying(trouble -> {
            assertThat(trouble.reason()).isEqualTo("PortConflict");
            assertThat(trouble.message()).contains("didn't have free ports", "spec.network.hostIP", "LoadBalancer");
        });
    }

    @Test
    void otherSchedulingFailuresNameTheSchedulingFields() {
        Pod pending = pod().editStatus()
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.")
                .endCondition()
                .endStatus()
                .build();

        assertThat(PodTrouble.of(pending)).hasValueSatisfying(trouble -> {
            assertThat(trouble.reason()).isEqualTo("Unschedulable");
            assertThat(trouble.message()).contains("node affinity/selector", "spec.nodeSelector");
        });
    }

    @Test
    void anImageThatCannotBePulledIsNamed() {
        Pod pulling = pod().editStatus()
                .addNewContainerStatus()
                .withName("proxy")
                .withImage("ghcr.io/pandaproxy/pandaproxy:nope")
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();

        assertThat(PodTrouble.of(pulling)).hasValueSatisfying(trouble -> {
            assertThat(trouble.reason()).isEqualTo("ImagePullFailed");
            assertThat(trouble.message()).contains("ghcr.io/pandaproxy/pandaproxy:nope");
        });
    }

    @Test
    void aCrashLoopSaysHowToReadTheLog() {
        Pod crashing = pod().editStatus()
                .addNewContainerStatus()
                .withName("mediamtx")
                .withImage("bluenviron/mediamtx")
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(1)
                .withReason("Error")
                .endTerminated()
                .endLastState()
                .endContainerStatus()
                .endStatus()
                .build();

        assertThat(PodTrouble.of(crashing)).hasValueSatisfying(trouble -> {
            assertThat(trouble.reason()).isEqualTo("ProxyCrashLooping");
            assertThat(trouble.message())
                    .contains("code 1", "kubectl logs -n printers pandaproxy-p1s-abc -c mediamtx --previous");
        });
    }

    @Test
    void aPodThatIsStartingIsNoTrouble() {
        Pod starting = pod().editStatus()
                .addNewContainerStatus()
                .withName("proxy")
                .withNewState()
                .withNewWaiting()
                .withReason("ContainerCreating")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();

        assertThat(PodTrouble.of(starting)).isEmpty();
    }

    private static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("pandaproxy-p1s-abc")
                .withNamespace("printers")
                .endMetadata()
                .withNewStatus()
                .endStatus();
    }
}
