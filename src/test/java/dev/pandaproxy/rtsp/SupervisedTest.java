package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A supervised program that prints its secrets and keeps exiting: masked output, restarts, a clean stop. */
class SupervisedTest {
    private static final Secret CODE = Secret.of("Zq7Secret");
    private static final Secret PUBLISHER = Secret.of("f00dcafe1234");

    @Test
    void outputIsForwardedLineByLineWithSecretsMaskedAndAnExitedProgramIsRestarted() {
        List<String> command = List.of(
                "sh",
                "-c",
                "echo \"[rtsp] opening rtsp://bblp:" + CODE.revealText() + "@printer/ and rtsp://pandaproxy:"
                        + PUBLISHER.revealText() + "@127.0.0.1/\"; echo Error: gone; exit 3");
        try (LogCapture logs = LogCapture.start();
                Supervised helper = new Supervised(
                        "helper",
                        command,
                        List.of(CODE, PUBLISHER),
                        new BackoffConfig(Duration.ofMillis(50), Duration.ofMillis(200)))) {
            helper.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> helper.restarts() >= 2);
            assertThat(logs.lines())
                    .contains("camera: helper: [rtsp] opening rtsp://bblp:********@printer/ and "
                            + "rtsp://pandaproxy:********@127.0.0.1/");
            assertThat(logs.lines()).contains("camera: helper exited with status 3");
            assertThat(logs.lines())
                    .noneSatisfy(line -> assertThat(line).containsAnyOf(CODE.revealText(), PUBLISHER.revealText()));
        }
    }

    @Test
    void closingStopsTheProgramAndWhatItStarted() {
        // a shell that starts a grandchild and waits: both must be gone after close
        try (Supervised helper = new Supervised(
                "sleeper",
                List.of("sh", "-c", "sleep 600 & wait"),
                List.of(),
                new BackoffConfig(Duration.ofMillis(50), Duration.ofMillis(200)))) {
            helper.start();
            ProcessHandle shell = await().atMost(Duration.ofSeconds(30))
                    .until(helper::process, Optional::isPresent)
                    .orElseThrow();
            ProcessHandle sleep = await().atMost(Duration.ofSeconds(30))
                    .until(() -> shell.children().findFirst(), Optional::isPresent)
                    .orElseThrow();
            helper.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> !shell.isAlive() && !sleep.isAlive());
            assertThat(helper.restarts()).isZero();
        }
    }
}
