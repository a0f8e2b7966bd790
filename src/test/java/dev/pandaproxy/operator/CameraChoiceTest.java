package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.BambuPrinterStatus;
import dev.pandaproxy.rtsp.CameraDetector;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which camera a printer's proxy serves, and when the printer is probed for it. */
class CameraChoiceTest {
    @Test
    void theSpecsCameraIsTakenWithoutAProbe() {
        CameraChoice choice = CameraChoice.of(printer(BambuPrinterSpec.Camera.RTSP, 1), Optional.empty());

        assertThat(choice.name()).contains("rtsp");
        assertThat(choice.fromSpec()).isTrue();
        assertThat(choice.probe()).isFalse();
    }

    @Test
    void aPrinterNeverProbedIsProbedAndHasNoCameraUntilTheProbeAnswers() {
        CameraChoice choice = CameraChoice.of(printer(BambuPrinterSpec.Camera.AUTO, 1), Optional.empty());

        assertThat(choice.name()).isEmpty();
        assertThat(choice.probe()).isTrue();
    }

    @Test
    void theProbesAnswerIsTheCamera() {
        CameraChoice choice = CameraChoice.of(
                printer(BambuPrinterSpec.Camera.AUTO, 1),
                Optional.of(new CameraDetector.Detection(CameraConfig.Mode.RTSP, "port 322 answered")));

        assertThat(choice.name()).contains("rtsp");
        assertThat(choice.probe()).isFalse();
        assertThat(choice.noneFoundNow()).isFalse();
    }

    @Test
    void aCameraFoundForThisGenerationIsKeptWithoutProbingAgain() {
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.AUTO, 2);
        printer.setStatus(detected("chamber", 2));

        CameraChoice choice = CameraChoice.of(printer, Optional.empty());

        assertThat(choice.name()).contains("chamber");
        assertThat(choice.probe()).isFalse();
    }

    @Test
    void aChangedSpecIsProbedAgainAndKeepsTheCameraFoundBeforeMeanwhile() {
        // found at generation 1; the spec changed since (another printer behind the same resource)
        BambuPrinter printer = printer(BambuPrinterSpec.Camera.AUTO, 2);
        printer.setStatus(detected("chamber", 1));

        CameraChoice choice = CameraChoice.of(printer, Optional.empty());

        assertThat(choice.probe()).isTrue();
        assertThat(choice.name()).contains("chamber");
    }

    private static BambuPrinter printer(BambuPrinterSpec.Camera camera, long generation) {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getMetadata().setGeneration(generation);
        printer.getSpec().setCamera(camera);
        return printer;
    }

    private static BambuPrinterStatus detected(String camera, long generation) {
        BambuPrinterStatus status = new BambuPrinterStatus();
        status.setCamera(camera);
        status.setConditions(List.of(new ConditionBuilder()
                .withType("CameraDetected")
                .withStatus("True")
                .withReason("CameraFound")
                .withMessage("port 6000 answered")
                .withObservedGeneration(generation)
                .build()));
        return status;
    }
}
