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
    static final Map<String, List<String>> MODEL_OPTIONS =
            Map.of("N7", List.of("-probesize", "1000000", "-analyzeduration", "500000"));

    private FfmpegCommand() {}

    /** The user the proxy publishes to MediaMTX as (for ffmpeg) and uses MediaMTX's API as. */
    public static final String PUBLISHER = "pandaproxy";

    /**
     * The command holds no secret: its two URLs are the proxy's loopback relays, which add the credentials (the
     * printer's access code toward the printer, the publisher password toward MediaMTX) to what ffmpeg sends, and
     * serve only the ffmpeg the proxy started ({@link RtspAuthorization}).
     *
     * @param ffmpeg       the program
     * @param bridgePort   where the proxy relays plain RTSP on loopback to the printer's RTSPS port (the proxy
     *                     terminates the printer's TLS)
     * @param publishPort  where the proxy relays, on loopback, to MediaMTX's publishing port
     * @param model        the printer's model code, for {@link #MODEL_OPTIONS}
     */
    public static List<String> arguments(String ffmpeg, int bridgePort, int publishPort, String model) {
        String source = "rtsp://127.0.0.1:" + bridgePort + "/" + MediaMtxConfig.PATH;
        String target = "rtsp://127.0.0.1:" + publishPort + "/" + MediaMtxConfig.PATH;
        List<String> command = new ArrayList<>(
                List.of(ffmpeg, "-hide_banner", "-loglevel", "warning", "-nostdin", "-rtsp_transport", "tcp"));
        command.addAll(MODEL_OPTIONS.getOrDefault(model, List.of()));
        command.addAll(
                List.of("-i", source, "-map", "0:v", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", target));
        return command;
    }
}
