package dev.pandaproxy.packaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JVM option files the image's entry point passes to java ({@code src/main/jvm}, {@code /app} in the image) start
 * a JVM, with the collector each command is measured with: no test runs the operator from its file, and a typo there
 * would only show as an operator pod that never starts.
 */
class JvmOptionsTest {
    @ParameterizedTest
    @CsvSource({"jvm.options, -XX:+UseSerialGC", "operator.options, -XX:+UseG1GC"})
    void theJvmStartsWithEachFileAndItsCollector(String file, String collector)
            throws IOException, InterruptedException {
        Process java = new ProcessBuilder(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "@" + Path.of("src", "main", "jvm", file),
                        "-XX:+PrintCommandLineFlags",
                        "-version"))
                .redirectErrorStream(true)
                .start();
        String output = new String(java.getInputStream().readAllBytes(), UTF_8);
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).as(file).contains(collector).doesNotContain("Unrecognized", "warning");
    }
}
