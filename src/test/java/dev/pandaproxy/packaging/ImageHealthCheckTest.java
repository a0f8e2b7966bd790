package dev.pandaproxy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's HEALTHCHECK script ({@code src/main/docker/healthcheck}) run by a real {@code sh} against the command line of
 * each sub-command as PID 1 would have it, with a {@code curl} that records what it was asked: each command is asked
 * on the port it serves its health on.
 */
class ImageHealthCheckTest {
    @TempDir
    Path dir;

    @Test
    void theOperatorIsAskedOnItsOwnPort() throws Exception {
        int chartPort = Manifests.only(Manifests.render(Map.of()), Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getPorts()
                .getFirst()
                .getContainerPort();
        assertThat(asked(List.of("operator"), Map.of()))
                .isEqualTo("http://127.0.0.1:" + chartPort + "/observe/health/ready");
        assertThat(asked(List.of("operator", "--http-port", "9000"), Map.of()))
                .isEqualTo("http://127.0.0.1:9000/observe/health/ready");
    }

    @Test
    void theProxyIsAskedOnItsHttpPort() throws Exception {
        assertThat(asked(List.of("proxy", "-p", "192.168.1.42"), Map.of()))
                .isEqualTo(
                        "http://127.0.0.1:" + new BambuPrinterSpec.Network().getHttpPort() + "/observe/health/ready");
        assertThat(asked(List.of("proxy"), Map.of("PROXY_PORTS_HTTP", "9090")))
                .isEqualTo("http://127.0.0.1:9090/observe/health/ready");
    }

    @Test
    void commandsWithoutHttpAreHealthyWhileTheyRun() throws Exception {
        assertThat(asked(List.of("simulate", "--port-offset", "0"), Map.of())).isEmpty();
    }

    /** The URL the script asked curl for (empty when it asked nothing), its exit status 0. */
    private String asked(List<String> arguments, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path cmdline = dir.resolve("cmdline");
        Files.writeString(
                cmdline, String.join("\0", concat(List.of("java", "-jar", "/app/pandaproxy.jar"), arguments)) + "\0");
        Path script = dir.resolve("healthcheck");
        Files.writeString(
                script,
                Manifests.read(Path.of("src", "main", "docker", "healthcheck"))
                        .replace("/proc/1/cmdline", cmdline.toString()));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path record = dir.resolve("asked");
        Files.deleteIfExists(record);
        Path curl = Files.writeString(
                bin.resolve("curl"), "#!/bin/sh\nfor last; do :; done\necho \"$last\" > " + record + "\n");
        Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().remove("PROXY_PORTS_HTTP");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Files.exists(record) ? Files.readString(record).strip() : "";
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
