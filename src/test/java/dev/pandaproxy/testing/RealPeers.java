package dev.pandaproxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real programs the tests talk to (curl, ffmpeg, mosquitto, …). {@code .ci/run} installs them; where one is
 * missing a test is skipped locally but fails when {@code CI} is set, so CI never passes by skipping.
 */
public final class RealPeers {
    private RealPeers() {}

    /** The program's path on {@code PATH}; skips (or fails under CI) when it is not installed. */
    public static Path require(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String base : new String[] {dir, "/usr/sbin", "/sbin"}) {
                Path candidate = Path.of(base, program);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        if (System.getenv("CI") != null) {
            fail(program + " is not installed, but CI is set: .ci/run must install it");
        }
        Assumptions.abort(program + " is not installed (.ci/run installs it)");
        throw new AssertionError("unreachable");
    }
}
