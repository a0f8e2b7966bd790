package dev.pandaproxy.rtsp;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.CameraConfig.Mode;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Finds out which camera the printer has by probing both ports at once: 6000 must log in and send a
 * frame header with flags 1 followed by a JPEG (X1/H2/P2 printers also listen on 6000, for a file
 * tunnel, so an open port proves nothing), and 322 must answer an RTSP {@code OPTIONS}. RTSP wins when
 * 322 answers.
 */
public final class CameraDetector {
    private static final System.Logger LOG = System.getLogger(CameraDetector.class.getName());

    private CameraDetector() {}

    /**
     * What was found.
     *
     * @param mode   {@code CHAMBER}, {@code RTSP} or {@code NONE}
     * @param detail what each probe saw, for the log and {@code /status}
     */
    public record Detection(Mode mode, String detail) {}

    /** Probes ports 6000 and 322 of {@code printer} in parallel, each within {@code timeout}. */
    public static Detection detect(SSLContext context, PrinterConfig printer, Duration timeout) {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<String> rtsp =
                    CompletableFuture.supplyAsync(() -> probe(() -> rtsp(context, printer, timeout)), executor);
            CompletableFuture<String> chamber =
                    CompletableFuture.supplyAsync(() -> probe(() -> chamber(context, printer, timeout)), executor);
            String rtspSaw = outcome(rtsp, timeout);
            String rtspDetail = "port " + printer.ports().rtsp() + ": " + rtspSaw;
            if (rtspSaw.equals(RTSP_OK)) {
                // RTSP wins whatever 6000 says (on these printers a file tunnel that may never answer): stop waiting
                // (interrupting a virtual thread blocked on a socket closes the socket)
                executor.shutdownNow();
                return new Detection(Mode.RTSP, rtspDetail);
            }
            String chamberSaw = outcome(chamber, timeout);
            String detail = rtspDetail + "; port " + printer.ports().chamber() + ": " + chamberSaw;
            if (chamberSaw.equals(CHAMBER_OK)) {
                return new Detection(Mode.CHAMBER, detail);
            }
            return new Detection(Mode.NONE, detail);
        }
    }

    /**
     * The camera an earlier start found, kept in the printer's state directory: a printer's camera is its model's,
     * so a restart needs no probing (the probes wait up to a frame interval for a JPEG, too long for a start within a
     * second, issue 15) and finds its camera while the printer is off. Deleting the file makes the next start probe.
     */
    public static final String REMEMBERED_FILE = "camera";

    /** The camera found at an earlier start, if one was found and kept in {@code printerDir}. */
    public static Optional<Detection> remembered(Path printerDir) {
        Path file = printerDir.resolve(REMEMBERED_FILE);
        try {
            String type = Files.readString(file).strip();
            return Stream.of(Mode.CHAMBER, Mode.RTSP)
                    .filter(mode -> mode.name().toLowerCase(Locale.ROOT).equals(type))
                    .findFirst()
                    .map(mode ->
                            new Detection(mode, "found at an earlier start (" + file + "; delete it to probe again)"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "camera: cannot read {0}, probing instead: {1}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps a camera that was found for the next start; a printer without one is probed again next time. */
    public static void remember(Path printerDir, Detection detection) {
        if (detection.mode() != Mode.CHAMBER && detection.mode() != Mode.RTSP) {
            return;
        }
        Path file = printerDir.resolve(REMEMBERED_FILE);
        try {
            Files.createDirectories(printerDir);
            Files.writeString(file, detection.mode().name().toLowerCase(Locale.ROOT) + "\n");
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "camera: cannot keep the camera type in {0}, the next start probes again: {1}",
                    file,
                    e.getMessage());
        }
    }

    private static final String RTSP_OK = "RTSP server answered";
    private static final String CHAMBER_OK = "chamber camera sent a JPEG frame";

    private interface Probe {
        String run() throws IOException;
    }

    private static String probe(Probe probe) {
        try {
            return probe.run();
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String noAnswer(Duration timeout) {
        return "no answer within " + timeout.toMillis() + " ms";
    }

    private static String outcome(CompletableFuture<String> probe, Duration timeout) {
        try {
            return probe.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            return noAnswer(timeout);
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String chamber(SSLContext context, PrinterConfig printer, Duration timeout) throws IOException {
        try (ChamberClient client = ChamberClient.connect(
                context, printer.host(), printer.ports().chamber(), printer.accessCode(), timeout, 10_000_000)) {
            client.readFrame(); // checks the header (flags 1, a sane length) and the JPEG start
            return CHAMBER_OK;
        } catch (EOFException e) {
            return "closed without a frame (a file tunnel, a wrong access code, or the camera slot is taken)";
        } catch (SocketTimeoutException e) {
            return noAnswer(timeout);
        }
    }

    private static String rtsp(SSLContext context, PrinterConfig printer, Duration timeout) throws IOException {
        SSLSocket socket = TlsPolicy.configureToPrinter(
                (SSLSocket) context.getSocketFactory().createSocket());
        try (socket;
                Deadline deadline = Deadline.abortAfter(timeout, socket)) {
            try {
                socket.connect(
                        new InetSocketAddress(printer.host(), printer.ports().rtsp()), (int) timeout.toMillis());
                socket.startHandshake();
                socket.getOutputStream()
                        .write(("OPTIONS rtsps://" + printer.host() + ":"
                                        + printer.ports().rtsp()
                                        + "/streaming/live/1 RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: PandaProxy\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                // the start of the status line only: whatever else arrives is not read
                byte[] line = socket.getInputStream().readNBytes(9);
                if (line.length == 0) {
                    return "closed without an RTSP answer";
                }
                return new String(line, StandardCharsets.US_ASCII).equals("RTSP/1.0 ")
                        ? RTSP_OK
                        : "answered something that is not RTSP";
            } catch (IOException e) {
                if (deadline.expired()) {
                    return noAnswer(timeout);
                }
                throw e;
            }
        }
    }
}
