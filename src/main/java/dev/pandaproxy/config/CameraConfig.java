package dev.pandaproxy.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

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

    /** {@code camera.*}. */
    static CameraConfig from(ConfigReader r) {
        String modeName = r.string("camera.mode", "auto");
        Mode mode = switch (modeName.toLowerCase(Locale.ROOT)) {
            case "auto" -> Mode.AUTO;
            case "chamber" -> Mode.CHAMBER;
            case "rtsp" -> Mode.RTSP;
            case "none" -> Mode.NONE;
            default ->
                throw new ConfigException(
                        r.describe("camera.mode") + " = '" + modeName + "': use auto, chamber, rtsp or none");
        };
        return new CameraConfig(
                mode,
                r.duration("camera.detect-timeout", Duration.ofSeconds(5)),
                Rtsp.from(r),
                r.bool("camera.on-demand", true),
                r.duration("camera.linger", Duration.ofSeconds(10)),
                r.positive("camera.max-clients", 64),
                r.duration("camera.auth-timeout", Duration.ofSeconds(10)),
                (int) Math.min(Integer.MAX_VALUE - 8, r.bytes("camera.max-frame-size", 10_000_000)),
                r.duration("camera.read-timeout", Duration.ofSeconds(20)),
                r.duration("camera.write-timeout", Duration.ofSeconds(30)),
                r.duration("camera.snapshot-timeout", Duration.ofSeconds(5)));
    }

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
            Optional<Secret> publisherPassword,
            String model) {
        /** {@code camera.mediamtx} value for a MediaMTX the proxy does not start: it only writes its configuration. */
        public static final String EXTERNAL = "external";

        /** The RTSPS camera's keys under {@code camera.*}. */
        static Rtsp from(ConfigReader r) {
            return new Rtsp(
                    r.string("camera.ffmpeg", "ffmpeg"),
                    r.string("camera.mediamtx", "mediamtx"),
                    helperAddress(r),
                    r.port("camera.publish-port", 8554, true),
                    r.port("camera.mediamtx-api-port", 9997, true),
                    r.port("camera.mediamtx-rtsps-port", 8322, true),
                    r.port("camera.mediamtx-hls-port", 8888, true),
                    r.port("camera.bridge-port", 0, true),
                    r.string("camera.publisher-password").map(Secret::of),
                    r.string("camera.model", ""));
        }

        /** {@code camera.helper-address}: an IPv4 loopback address, where nobody but this host can reach MediaMTX. */
        private static String helperAddress(ConfigReader r) {
            String address = r.string("camera.helper-address", "127.0.0.1");
            if (!address.matches("127\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})")
                    || Arrays.stream(address.split("\\.")).anyMatch(part -> Integer.parseInt(part) > 255)) {
                throw new ConfigException(r.describe("camera.helper-address") + " = '" + address
                        + "': MediaMTX must listen on loopback; use an address 127.x.y.z");
            }
            return address;
        }
    }
}
