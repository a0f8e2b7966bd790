package dev.pandaproxy.config;

import java.time.Duration;

/**
 * The camera: which kind, and the chamber camera (port 6000) service's settings.
 *
 * @param mode            {@code auto} (probe the printer), {@code chamber}, {@code rtsp} or {@code none}
 * @param detectTimeout   how long the probes of ports 6000 and 322 may take
 * @param rtsp            the RTSPS camera's helpers
 * @param onDemand        hold the printer connection only while a viewer is attached
 * @param linger          how long to keep it after the last viewer left
 * @param maxClients      concurrent viewers over TLS; further connections are closed at once
 * @param authTimeout     time a client has for the TLS handshake and its 80-byte login
 * @param maxFrameBytes   larger frames from the printer count as a protocol error
 * @param readTimeout     no frame from the printer for this long: reconnect
 * @param writeTimeout    a client that accepts no bytes for this long is disconnected
 * @param snapshotTimeout how long an HTTP snapshot waits for a frame
 */
public record CameraConfig(
        Mode mode,
        Duration detectTimeout,
        Rtsp rtsp,
        boolean onDemand,
        Duration linger,
        int maxClients,
        Duration authTimeout,
        int maxFrameBytes,
        Duration readTimeout,
        Duration writeTimeout,
        Duration snapshotTimeout) {

    /** Which camera the printer has. */
    public enum Mode {
        AUTO,
        CHAMBER,
        RTSP,
        NONE
    }

    /**
     * The RTSPS camera's helpers: ffmpeg pulls the printer's stream once, MediaMTX serves it.
     *
     * @param ffmpeg            the ffmpeg program (a name on PATH or a path); the proxy always runs it itself, so that
     *                          its loopback relays can tell that it is their client (it holds no credentials)
     * @param mediamtx          the MediaMTX program, or {@value #EXTERNAL}
     * @param helperAddress     the loopback address MediaMTX listens on: 127.0.0.1, or one of its own per printer
     *                          (127.x.y.z) so that printers sharing a host's loopback never share ports
     * @param publishPort       MediaMTX's plain RTSP port on loopback, where ffmpeg publishes
     * @param apiPort           MediaMTX's API port on loopback (readiness)
     * @param mediamtxRtspsPort MediaMTX's RTSPS port on loopback; the proxy's RTSP port relays to it
     * @param mediamtxHlsPort   MediaMTX's HLS port on loopback; the proxy's page relays browsers to it
     * @param bridgePort        the loopback port where ffmpeg reaches the printer through the proxy (0: any)
     * @param publisherPassword the proxy's password toward MediaMTX (publishing for ffmpeg, and the API); default: a
     *                          new random one at every start; a MediaMTX sidecar needs it fixed
     * @param model             the printer's model code, for model-specific ffmpeg options (e.g. N7 for P2S)
     */
    public record Rtsp(
            String ffmpeg,
            String mediamtx,
            String helperAddress,
            int publishPort,
            int apiPort,
            int mediamtxRtspsPort,
            int mediamtxHlsPort,
            int bridgePort,
            java.util.Optional<Secret> publisherPassword,
            String model) {
        /** {@code camera.mediamtx} value for a MediaMTX the proxy does not start: it only writes its configuration. */
        public static final String EXTERNAL = "external";
    }
}
