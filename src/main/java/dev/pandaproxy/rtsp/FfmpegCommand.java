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

    /** The user ffmpeg publishes to MediaMTX as. */
    public static final String PUBLISHER = "pandaproxy";

    /**
     * @param ffmpeg            the program
     * @param accessCode        the printer's access code (or a {@code $(VAR)} reference a Kubernetes container expands)
     * @param bridgePort        where the proxy relays plain RTSP on loopback to the printer's RTSPS port (the proxy
     *                          terminates the printer's TLS)
     * @param publisherPassword ffmpeg's password toward MediaMTX (or a {@code $(VAR)} reference)
     * @param publishPort       MediaMTX's plain RTSP port on loopback
     * @param model             the printer's model code, for {@link #MODEL_OPTIONS}
     */
    public static List<String> arguments(String ffmpeg, String accessCode, int bridgePort, String publisherPassword,
                                         int publishPort, String model) {
        String source = "rtsp://bblp:" + accessCode + "@127.0.0.1:" + bridgePort + "/" + MediaMtxConfig.PATH;
        String target = "rtsp://" + PUBLISHER + ":" + publisherPassword + "@127.0.0.1:" + publishPort + "/" + MediaMtxConfig.PATH;
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "warning", "-nostdin",
                "-rtsp_transport", "tcp"));
        command.addAll(MODEL_OPTIONS.getOrDefault(model, List.of()));
        command.addAll(List.of("-i", source, "-map", "0:v", "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", target));
        return command;
    }
}
