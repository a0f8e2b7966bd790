package dev.pandaproxy.testing;

import dev.pandaproxy.sim.SimulatedPrinter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One simulated printer for every test of a class, in a directory of its own:
 * {@code @RegisterExtension static final SimulatedPrinterExtension PRINTER = new SimulatedPrinterExtension();}
 */
public final class SimulatedPrinterExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private SimulatedPrinter printer;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("pandaproxy-printer");
        printer = Fixtures.printer(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        printer.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public SimulatedPrinter printer() {
        return printer;
    }
}
