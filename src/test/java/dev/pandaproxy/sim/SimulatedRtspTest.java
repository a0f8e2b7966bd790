package dev.pandaproxy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated X1/H2/P2 camera, seen by real ffmpeg: RTSPS, the printer's path and credentials, H.264. */
class SimulatedRtspTest {
    @TempDir
    static Path dir;

    private static SimulatedPrinter printer;

    @BeforeAll
    static void start() {
        printer = Fixtures.rtspPrinter(dir.resolve("printer"));
    }

    @AfterAll
    static void stop() {
        if (printer != null) { // null where ffmpeg is missing and the tests were skipped
            printer.close();
        }
    }

    @Test
    void ffprobeSeesAnH264StreamAtThePrintersPath() {
        String streams = Programs.run(
                RealPeers.require("ffprobe").toString(),
                "-v",
                "error",
                "-rtsp_transport",
                "tcp",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,width,height",
                "-of",
                "csv=p=0",
                url(Fixtures.CODE, "/streaming/live/1"));
        assertThat(streams.strip()).isEqualTo("h264,320,180");
    }

    @Test
    void ffmpegDecodesFrames() {
        String output = Programs.run(
                RealPeers.require("ffmpeg").toString(),
                "-nostdin",
                "-v",
                "error",
                "-stats",
                "-rtsp_transport",
                "tcp",
                "-i",
                url(Fixtures.CODE, "/streaming/live/1"),
                "-frames:v",
                "15",
                "-f",
                "null",
                "-");
        assertThat(output).contains("frame=   15");
        assertThat(output).doesNotContain("error while decoding");
    }

    @Test
    void aWrongAccessCodeOrPathIsRefused() {
        Path ffprobe = RealPeers.require("ffprobe");
        Programs.Result wrongCode = Programs.result(
                List.of(
                        ffprobe.toString(),
                        "-v",
                        "error",
                        "-rtsp_transport",
                        "tcp",
                        url("87654321", "/streaming/live/1")),
                Duration.ofSeconds(30));
        assertThat(wrongCode.exit()).isNotZero();
        assertThat(wrongCode.output()).contains("401");
        Programs.Result wrongPath = Programs.result(
                List.of(ffprobe.toString(), "-v", "error", "-rtsp_transport", "tcp", url(Fixtures.CODE, "/stream")),
                Duration.ofSeconds(30));
        assertThat(wrongPath.exit()).isNotZero();
        assertThat(wrongPath.output()).contains("404");
    }

    private static String url(String code, String path) {
        return "rtsps://bblp:" + code + "@127.0.0.1:" + printer.rtsp().port() + path;
    }
}
