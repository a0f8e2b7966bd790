package dev.pandaproxy.rtsp;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.YamlText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MediaMTX's configuration for one printer, as a pure function: RTSPS for clients on the proxy's RTSP
 * port with the printer's credentials, plain RTSP on loopback only (where the proxy's publish relay, on behalf of
 * ffmpeg, publishes), the API on loopback for the proxy only (readiness), HLS on loopback (browsers, through the
 * proxy's page), nothing else. Key names are those of current MediaMTX ({@code rtspsAddress},
 * {@code rtspEncryption}, {@code rtspServerKey}/{@code rtspServerCert}, {@code authInternalUsers}); the
 * same text serves the local child process and the Kubernetes sidecar.
 */
public final class MediaMtxConfig {
    /** The printer's own path, so clients only change the host. */
    public static final String PATH = "streaming/live/1";
    /** The original PandaProxy's path, kept as an alias. */
    public static final String ALIAS = "stream";
    /** Every loopback address: each printer's helpers may listen on one of their own (127.x.y.z). */
    private static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");

    private MediaMtxConfig() {}

    /**
     * What the configuration needs.
     *
     * @param address         the loopback address MediaMTX listens on (127.0.0.1, or one of its own per printer)
     * @param rtspsPort       MediaMTX's RTSPS port there: the proxy relays its RTSP port to it
     * @param publishPort     plain RTSP port there, where the proxy's publish relay publishes ffmpeg's stream
     * @param apiPort         API port there
     * @param hlsPort         HLS port there, for the page (the proxy relays it over its HTTPS listener)
     * @param certificateFile the proxy's certificate chain (PEM)
     * @param keyFile         its key (PEM)
     * @param accessCode      the password of user {@code bblp}
     * @param publisher       the proxy's user: it publishes, and it alone may use the API
     * @param publisherSecret its password
     */
    public record Inputs(
            String address,
            int rtspsPort,
            int publishPort,
            int apiPort,
            int hlsPort,
            String certificateFile,
            String keyFile,
            Secret accessCode,
            String publisher,
            Secret publisherSecret) {}

    /** The settings as a tree (for tests and for other formats). */
    public static Map<String, Object> settings(Inputs in) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("logLevel", "warn");
        config.put("logDestinations", List.of("stdout"));
        config.put("authMethod", "internal");
        config.put(
                "authInternalUsers",
                List.of(
                        user(
                                "bblp",
                                in.accessCode().revealText(),
                                List.of(),
                                List.of(permission("read", PATH), permission("read", ALIAS))),
                        // the API answers the proxy only: with the host's network, every process of the node shares
                        // loopback
                        user(
                                in.publisher(),
                                in.publisherSecret().revealText(),
                                LOOPBACK,
                                List.of(permission("publish", PATH), Map.of("action", "api")))));
        config.put("api", true);
        config.put("apiAddress", in.address() + ":" + in.apiPort());
        config.put("metrics", false);
        config.put("rtsp", true);
        config.put("rtspTransports", List.of("tcp"));
        // RTSPS for clients, and plain RTSP too, but on loopback only, for ffmpeg
        config.put("rtspEncryption", "optional");
        config.put("rtspAddress", in.address() + ":" + in.publishPort());
        config.put("rtspsAddress", in.address() + ":" + in.rtspsPort());
        config.put("rtspServerKey", in.keyFile());
        config.put("rtspServerCert", in.certificateFile());
        config.put("rtspAuthMethods", List.of("basic"));
        config.put("rtmp", false);
        // browsers play HLS without plugins; MediaMTX only repackages the printer's H.264 (nothing is re-encoded)
        config.put("hls", true);
        config.put("hlsAddress", in.address() + ":" + in.hlsPort());
        config.put("hlsEncryption", false);
        config.put("webrtc", false);
        config.put("srt", false);
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put(PATH, Map.of("source", "publisher"));
        paths.put(ALIAS, Map.of("source", "redirect", "sourceRedirect", "/" + PATH));
        config.put("paths", paths);
        return config;
    }

    /** The configuration file's text (it holds the access code: write it readable by the owner only). */
    public static String yaml(Inputs in) {
        return YamlText.of(settings(in));
    }

    private static Map<String, Object> user(
            String name, String password, List<String> ips, List<Map<String, String>> permissions) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("user", name);
        user.put("pass", password);
        user.put("ips", ips);
        user.put("permissions", permissions);
        return user;
    }

    private static Map<String, String> permission(String action, String path) {
        return Map.of("action", action, "path", path);
    }
}
