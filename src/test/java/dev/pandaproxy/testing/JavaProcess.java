package dev.pandaproxy.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code pandaproxy} in a child JVM (the same JDK and classpath as the tests), as a user would. */
public final class JavaProcess {
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
        command.add(System.getProperty("java.class.path"));
        command.add("dev.pandaproxy.cli.Main");
        command.addAll(List.of(args));
        // stderr (the log) into a file: a pipe read while the process exits can fail with "Stream closed"
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(workDir.resolve("stderr.log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
