package dev.pandaproxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs real programs (curl, ffmpeg, lftp, …) to the end, within a deadline, with their output. */
public final class Programs {
    private static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    private Programs() {}

    /**
     * How a program ended.
     *
     * @param exit   its exit status
     * @param output what it wrote (standard output and error, interleaved)
     */
    public record Result(int exit, String output) {}

    /** Runs the command; fails the test unless it succeeds within a minute. Returns its output. */
    public static String run(String... command) {
        return run(List.of(command));
    }

    /** Runs the command; fails the test unless it succeeds within a minute. Returns its output. */
    public static String run(List<String> command) {
        Result result = result(command, DEFAULT_LIMIT);
        assertThat(result.exit())
                .as("%s: %s", command.getFirst(), result.output())
                .isZero();
        return result.output();
    }

    /** Runs the command and returns how it ended; fails the test if it is still running after {@code limit}. */
    public static Result result(List<String> command, Duration limit) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            // read while it runs: a full pipe would stall the program
            CompletableFuture<String> output = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    runnable -> Thread.ofVirtual().start(runnable));
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.getFirst() + " did not finish within " + limit.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(command.getFirst() + "'s output could not be read", e);
        }
    }
}
