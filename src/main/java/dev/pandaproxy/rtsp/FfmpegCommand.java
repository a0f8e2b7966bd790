package dev.pandaproxy.rtsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ffmpeg command that pulls the printer's stream once and publishes it to MediaMTX, as a pure
 * function. The stream is copied, never re-encoded; RTP runs over the RTSP TCP connection (printers
 * serve nothing else).
 */
public final class FfmpegCommand {
    /**
     * Input options some printer models need, by model code (§3.3 of the protocol notes). The P2S sends its
     * first keyframe late: ffmpeg must probe longer than its defaults.
     */
    static final Map<String, List<String>> MODEL_OPTIONS = Map.of(
            "N7", List.of("-probesize", "1000000", "-analyzeduration", "500000"));

    private FfmpegCommand() {
    }

    /**
     * @param ffmpeg the program
     * @param source the printer's stream (plain RTSP on loopback: the proxy terminates the printer's TLS)
     * @param target MediaMTX's publishing URL
     * @param model  the printer's model code, for {@link #MODEL_OPTIONS}
     */
    public static List<String> arguments(String ffmpeg, String source, String target, String model) {
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "warning", "-nostdin",
                "-rtsp_transport", "tcp"));
        command.addAll(MODEL_OPTIONS.getOrDefault(model, List.of()));
        command.addAll(List.of("-i", source, "-map", "0:v", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", target));
        return command;
    }
}
