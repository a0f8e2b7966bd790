package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.chamber.ChamberCodec;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.net.LoopbackPeer;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.LogCapture;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.tls.PrinterTrust;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTSPS camera end to end with real ffmpeg: the proxy's ffmpeg, started with the generated arguments, pulls
 * the simulated printer's stream through the proxy's TLS bridge and publishes it; a receiver stands in for
 * MediaMTX (which no Debian package provides: {@link MediaMtxContainerTest} runs the real one), and ffprobe
 * decodes what arrived.
 */
class RtspCameraTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void ffmpegPullsThroughTheBridgeAndPublishesADecodableStream() throws Exception {
        RealPeers.require("ffprobe");
        try (LogCapture logs = LogCapture.start();
                SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(rtspSettings(printer))) {
            RtspCamera camera = proxy.rtspCamera().orElseThrow();
            await().atMost(WAIT).until(() -> decodedFrames(latestRecording()) >= 20);
            assertThat(printer.rtsp().plays()).isPositive();
            assertThat(camera.status().upstream().orElseThrow().connects()).isPositive();

            // the configuration MediaMTX was given holds the access code: the owner alone may read it
            Path config = dir.resolve("proxy")
                    .resolve(Fixtures.SERIAL)
                    .resolve("rtsp")
                    .resolve("mediamtx.yml");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                    .isEqualTo("rw-------");
            // MediaMTX listens on loopback only: the proxy holds the clients' port and relays
            assertThat(Files.readString(config))
                    .contains("rtspsAddress: 127.0.0.1:")
                    .doesNotContain(":" + camera.port() + "\n");

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("ffmpeg started"));
            // no secret on ffmpeg's command line (ps shows it to every user): the proxy's relays add the credentials
            ProcessHandle ffmpeg = camera.children().stream()
                    .filter(child -> child.name().equals("ffmpeg"))
                    .findFirst()
                    .orElseThrow()
                    .process()
                    .orElseThrow();
            String commandLine = Files.readString(Path.of("/proc", String.valueOf(ffmpeg.pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(commandLine)
                    .contains("rtsp://127.0.0.1:")
                    .doesNotContain(Fixtures.CODE)
                    .doesNotContain("@");
            assertThat(logs.lines()).allSatisfy(line -> assertThat(line).doesNotContain(Fixtures.CODE));
        }
    }

    @Test
    void aKilledHelperIsRestartedAndShutdownLeavesNoChildProcess() throws Exception {
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            List<ProcessHandle> seen = new ArrayList<>();
            try (PandaProxy proxy = Fixtures.proxy(rtspSettings(printer))) {
                Supervised ffmpeg = proxy.rtspCamera().orElseThrow().children().stream()
                        .filter(child -> child.name().equals("ffmpeg"))
                        .findFirst()
                        .orElseThrow();
                ProcessHandle first = await().atMost(WAIT)
                        .until(ffmpeg::process, Optional::isPresent)
                        .orElseThrow();
                await().atMost(WAIT).until(() -> decodedFrames(latestRecording()) >= 10);
                seen.add(first);

                first.destroyForcibly();

                ProcessHandle second = await().atMost(WAIT)
                        .until(
                                ffmpeg::process,
                                process -> process.isPresent() && process.get().pid() != first.pid())
                        .orElseThrow();
                seen.add(second);
                assertThat(ffmpeg.restarts()).isPositive();
                // the stream comes back: the printer is played again, and a new recording fills up
                await().atMost(WAIT).until(() -> printer.rtsp().plays() >= 2);
                proxy.rtspCamera()
                        .orElseThrow()
                        .children()
                        .forEach(child -> child.process().ifPresent(seen::add));
                seen.addAll(ProcessHandle.current().descendants().toList());
            }
            assertThat(seen)
                    .allSatisfy(process -> assertThat(process.isAlive())
                            .as("pid %d", process.pid())
                            .isFalse());
            assertThat(ProcessHandle.current()
                            .descendants()
                            .filter(process ->
                                    process.info().command().orElse("").contains("ffmpeg")))
                    .isEmpty();
        }
    }

    @Test
    void theFileTunnelOnPort6000ReachesThePrinterUntouched() throws Exception {
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(rtspSettings(printer))) {
            SSLContext anyCertificate = PrinterTrust.create(
                            TrustMode.INSECURE, Optional.empty(), dir.resolve("pin"), Fixtures.SERIAL)
                    .clientContext();
            try (SSLSocket tunnel =
                    (SSLSocket) anyCertificate.getSocketFactory().createSocket()) {
                tunnel.connect(
                        new InetSocketAddress(
                                "127.0.0.1", proxy.rtspCamera().orElseThrow().tunnelPort()),
                        5000);
                tunnel.setSoTimeout(10_000);
                tunnel.startHandshake();
                // raw TCP: the TLS session is the printer's own, not the proxy's
                X509Certificate presented =
                        (X509Certificate) tunnel.getSession().getPeerCertificates()[0];
                assertThat(presented.getIssuerX500Principal().getName()).contains("PandaProxy Simulator CA");
                tunnel.getOutputStream()
                        .write(ChamberCodec.encodeLogin("bblp", Fixtures.CODE.getBytes(StandardCharsets.US_ASCII)));
                byte[] request = "file-browser request".getBytes(StandardCharsets.US_ASCII);
                tunnel.getOutputStream().write(request);
                tunnel.getOutputStream().flush();
                assertThat(tunnel.getInputStream().readNBytes(request.length)).isEqualTo(request);
            }
        }
    }

    @Test
    void clientsOfTheRtspPortAreRelayedToMediaMtxOnLoopback() throws Exception {
        // MediaMTX's RTSPS port, stood in for by a server that echoes (the bytes are TLS in real use: relayed raw)
        try (ServerSocket mediamtx = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            Thread.ofVirtual().start(() -> {
                try (Socket peer = mediamtx.accept()) {
                    peer.getInputStream().transferTo(peer.getOutputStream());
                } catch (IOException e) {
                    // the test ended
                }
            });
            Map<String, String> settings = rtspSettings(printer);
            settings.put("camera.mediamtx-rtsps-port", String.valueOf(mediamtx.getLocalPort()));
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    Socket client = new Socket(
                            "127.0.0.1", proxy.rtspCamera().orElseThrow().port())) {
                client.setSoTimeout(10_000);
                byte[] hello = "a TLS ClientHello, as far as the relay knows".getBytes(StandardCharsets.US_ASCII);
                client.getOutputStream().write(hello);
                assertThat(client.getInputStream().readNBytes(hello.length)).isEqualTo(hello);
                assertThat(Files.readString(dir.resolve("proxy")
                                .resolve(Fixtures.SERIAL)
                                .resolve("rtsp")
                                .resolve("mediamtx.yml")))
                        .contains("rtspsAddress: 127.0.0.1:" + mediamtx.getLocalPort());
            }
        }
    }

    @Test
    void theBridgeServesTheProxysFfmpegOnlyNotAnotherLocalProcess() throws Exception {
        Assumptions.assumeTrue(LoopbackPeer.supported(), "needs Linux /proc");
        try (LogCapture logs = LogCapture.start();
                SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            Map<String, String> settings = rtspSettings(printer);
            int bridgePort;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                bridgePort = free.getLocalPort();
            }
            settings.put("camera.bridge-port", String.valueOf(bridgePort));
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                await().atMost(WAIT).until(() -> decodedFrames(latestRecording()) >= 5);
                int sessions = printer.rtsp().plays();

                // a process of the same host asks the bridge, which would add the access code, for the stream
                try (Socket other = new Socket("127.0.0.1", bridgePort)) {
                    other.setSoTimeout(10_000);
                    other.getOutputStream()
                            .write(("DESCRIBE rtsp://127.0.0.1:" + bridgePort + "/streaming/live/1 RTSP/1.0\r\n"
                                            + "CSeq: 1\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    assertThat(other.getInputStream().read())
                            .as("closed without an answer")
                            .isEqualTo(-1);
                } catch (SocketException reset) {
                    // refused by a reset: as good
                }

                assertThat(printer.rtsp().plays()).isEqualTo(sessions);
                assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("not the proxy's ffmpeg"));
            }
        }
    }

    @Test
    void missingHelpersTurnTheCameraOffWithWhatToInstallAndTheRestRuns() throws Exception {
        try (SimulatedPrinter printer = Fixtures.rtspPrinter(dir.resolve("printer"))) {
            Map<String, String> settings = rtspSettings(printer);
            settings.put("camera.ffmpeg", dir.resolve("no-ffmpeg-here").toString());
            settings.put("camera.mediamtx", "mediamtx-not-on-path");
            settings.put("proxy.services", "camera,mqtt");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                ServiceStatus camera = proxy.rtspCamera().orElseThrow().status();
                assertThat(camera.upstream().orElseThrow().lastError())
                        .hasValueSatisfying(error -> assertThat(error)
                                .contains("ffmpeg (the ffmpeg package")
                                .contains("mediamtx (")
                                .contains("the RTSP camera is off; the other services run"));
                assertThat(proxy.rtspCamera().orElseThrow().children()).isEmpty();
                assertThat(proxy.mqtt().orElseThrow().port()).isPositive();
            }
        }
    }

    /** The proxy in front of the simulated RTSP printer, with the MediaMTX stand-in. */
    private Map<String, String> rtspSettings(SimulatedPrinter printer) throws IOException {
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("camera.mode", "rtsp");
        settings.put("camera.mediamtx", standIn().toString());
        settings.put("camera.publish-port", "0");
        settings.put("camera.mediamtx-api-port", "0");
        settings.put("camera.mediamtx-rtsps-port", "0");
        return settings;
    }

    /**
     * A program that takes MediaMTX's place: it reads the publishing address from the generated configuration and
     * records what ffmpeg publishes there, one file per run, as MediaMTX would receive it.
     */
    private Path standIn() throws IOException {
        Path script = dir.resolve("mediamtx-stand-in");
        Files.writeString(script, """
                #!/bin/sh
                port=$(sed -n 's/^rtspAddress: *"\\{0,1\\}127\\.0\\.0\\.1:\\([0-9]*\\).*/\\1/p' "$1")
                exec ffmpeg -nostdin -v warning -rtsp_flags listen -i "rtsp://127.0.0.1:$port/streaming/live/1" \\
                    -c copy -f mpegts -flush_packets 1 -y "%s/received-$$.ts"
                """.formatted(dir));
        script.toFile().setExecutable(true);
        return script;
    }

    private Optional<Path> latestRecording() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("received-"))
                    .max(Comparator.comparing(file -> file.toFile().lastModified()));
        }
    }

    /** Frames a real decoder reads from a recording (0 while there is none). */
    private static int decodedFrames(Optional<Path> recording) {
        if (recording.isEmpty()) {
            return 0;
        }
        Programs.Result probe = Programs.result(
                List.of(
                        RealPeers.require("ffprobe").toString(),
                        "-v",
                        "error",
                        "-count_frames",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=nb_read_frames",
                        "-of",
                        "csv=p=0",
                        recording.get().toString()),
                Duration.ofSeconds(30));
        // one line per section that lists the stream (the MPEG-TS program and the stream itself): the same count
        return probe.exit() != 0
                ? 0
                : probe.output()
                        .lines()
                        .filter(line -> line.strip().matches("\\d+"))
                        .mapToInt(line -> Integer.parseInt(line.strip()))
                        .max()
                        .orElse(0);
    }
}
