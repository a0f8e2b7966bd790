package dev.pandaproxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@code pandaproxy} in a child JVM, as a user would: the tests' JDK, and the class path of
 * {@code target/pandaproxy.jar} (the build's classes and runtime dependencies, which Maven writes to
 * {@code target/runtime.classpath}), not the tests' own, which has test-only libraries a user's JVM would lack.
 */
public final class JavaProcess {
    private static final String RUNTIME_CLASS_PATH = runtimeClassPath();

    private JavaProcess() {}

    /**
     * Its standard error (the log) goes to {@code stderr.log} in {@code workDir}.
     *
     * @param prefix  a command wrapping the JVM (e.g. {@code setpriv …}), or empty
     * @param env     extra environment variables
     * @param args    pandaproxy arguments
     */
    public static Process start(List<String> prefix, Map<String, String> env, Path workDir, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(RUNTIME_CLASS_PATH);
        command.add("dev.pandaproxy.cli.Main");
        command.addAll(List.of(args));
        // stderr (the log) into a file: a pipe read while the process exits can fail with "Stream closed"
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(workDir.resolve("stderr.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String runtimeClassPath() {
        Path dependencies = Path.of("target", "runtime.classpath");
        try {
            return Path.of("target", "classes").toAbsolutePath()
                    + File.pathSeparator
                    + Files.readString(dependencies).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(dependencies + " is missing: Maven writes it before the tests", e);
        }
    }
}
