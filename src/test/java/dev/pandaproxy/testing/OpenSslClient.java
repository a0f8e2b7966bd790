package dev.pandaproxy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_client} as a line-based TLS client: OpenSSL's own session handling (a session saved with
 * {@code -sess_out} and resumed with {@code -sess_in} by its ticket), which is what Node, Python and curl use.
 */
public final class OpenSslClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Process process;
    /** Lines of output; empty once the output ended. */
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    private OpenSslClient(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(line -> lines.add(Optional.of(line)));
            } catch (IOException | UncheckedIOException ignored) {
                // the program ended
            } finally {
                lines.add(Optional.empty());
            }
        });
    }

    /** Connects to {@code port} on loopback with extra {@code s_client} options; lines sent end in CRLF. */
    public static OpenSslClient start(Path openssl, int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(openssl.toString(), "s_client", "-connect", "127.0.0.1:" + port, "-quiet", "-crlf"));
        command.addAll(List.of(options));
        return new OpenSslClient(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    public void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next line the server sent; fails when none comes within the deadline or the connection ended. */
    public String reply() throws InterruptedException {
        Optional<String> line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.isEmpty()) {
            throw new AssertionError("no line from the server within " + WAIT.toSeconds() + " s");
        }
        return line.get();
    }

    /** Everything the server sends until it closes the connection, lines joined with LF. */
    public String remainingOutput() throws InterruptedException {
        List<String> rest = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<String> line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the server did not close within " + WAIT.toSeconds() + " s; read " + rest);
            }
            if (line.isEmpty()) {
                return String.join("\n", rest);
            }
            rest.add(line.get());
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
