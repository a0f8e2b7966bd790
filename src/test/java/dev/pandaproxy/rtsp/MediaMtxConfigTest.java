package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.Secret;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The generated MediaMTX configuration, key by key, against MediaMTX's documented configuration (the reference
 * {@code mediamtx.yml} of bluenviron/mediamtx, read at commit 003b535f): every key it writes exists there under
 * that name, with a value of the documented kind; the names older releases used are absent.
 */
class MediaMtxConfigTest {

    /** Documented global keys we use, and what the documentation allows for each. */
    private static final Map<String, Predicate<Object>> DOCUMENTED = Map.ofEntries(
            Map.entry("logLevel", oneOf("error", "warn", "info", "debug")),
            Map.entry("logDestinations", listOf("stdout", "file", "syslog")),
            Map.entry("authMethod", oneOf("internal", "http", "jwt")),
            Map.entry("authInternalUsers", value -> value instanceof List<?>),
            Map.entry("api", Boolean.class::isInstance),
            Map.entry("apiAddress", MediaMtxConfigTest::isAddress),
            Map.entry("metrics", Boolean.class::isInstance),
            Map.entry("rtsp", Boolean.class::isInstance),
            Map.entry("rtspTransports", listOf("udp", "multicast", "tcp")),
            Map.entry("rtspEncryption", oneOf("no", "strict", "optional")),
            Map.entry("rtspAddress", MediaMtxConfigTest::isAddress),
            Map.entry("rtspsAddress", MediaMtxConfigTest::isAddress),
            Map.entry("rtspServerKey", String.class::isInstance),
            Map.entry("rtspServerCert", String.class::isInstance),
            Map.entry("rtspAuthMethods", listOf("basic", "digest")),
            Map.entry("rtmp", Boolean.class::isInstance),
            Map.entry("hls", Boolean.class::isInstance),
            Map.entry("hlsAddress", MediaMtxConfigTest::isAddress),
            Map.entry("hlsEncryption", Boolean.class::isInstance),
            Map.entry("webrtc", Boolean.class::isInstance),
            Map.entry("srt", Boolean.class::isInstance),
            Map.entry("paths", value -> value instanceof Map<?, ?>));

    private static final Set<String> USER_KEYS = Set.of("user", "pass", "ips", "permissions");
    private static final Set<String> PERMISSION_KEYS = Set.of("action", "path");
    private static final Set<String> ACTIONS = Set.of("publish", "read", "playback", "api", "metrics", "pprof");
    /** Path keys we use: the source, and where a redirect source sends readers. */
    private static final Set<String> PATH_KEYS = Set.of("source", "sourceRedirect");
    /** Names of older releases, which current MediaMTX rejects. */
    private static final Set<String> OLD_NAMES = Set.of(
            "protocols",
            "encryption",
            "serverKey",
            "serverCert",
            "authMethods",
            "paths.all",
            "readUser",
            "readPass",
            "publishUser",
            "publishPass");

    private final MediaMtxConfig.Inputs inputs = new MediaMtxConfig.Inputs(
            "127.0.0.1",
            8322,
            8554,
            9997,
            8888,
            "/state/rtsps.pem",
            "/state/rtsps-key.pem",
            Secret.of("01234567"),
            "pandaproxy",
            Secret.of("0123456789abcdef"));

    @Test
    void everyKeyIsADocumentedKeyWithADocumentedValue() throws Exception {
        Map<String, Object> config = parsedYaml();
        assertThat(config.keySet())
                .allSatisfy(key -> assertThat(DOCUMENTED).as("documented keys").containsKey(key));
        config.forEach((key, value) -> assertThat(DOCUMENTED.get(key).test(value))
                .as("%s = %s", key, value)
                .isTrue());
        assertThat(config.keySet()).doesNotContainAnyElementsOf(OLD_NAMES);

        for (Map<String, Object> user : maps(config.get("authInternalUsers"))) {
            assertThat(USER_KEYS).containsAll(user.keySet());
            for (Map<String, Object> permission : maps(user.get("permissions"))) {
                assertThat(PERMISSION_KEYS).containsAll(permission.keySet());
                assertThat(ACTIONS).contains((String) permission.get("action"));
            }
        }
        Map<String, Object> paths = map(config.get("paths"));
        for (Object path : paths.values()) {
            assertThat(PATH_KEYS).containsAll(map(path).keySet());
            assertThat(map(path).get("source")).isIn("publisher", "redirect");
        }
    }

    @Test
    void clientsGetRtspsOnTheProxysPortWithThePrintersPathAndCredentials() throws Exception {
        Map<String, Object> config = parsedYaml();
        assertThat(config)
                .containsEntry("rtspsAddress", "127.0.0.1:8322")
                .containsEntry("rtspEncryption", "optional")
                .containsEntry("rtspServerCert", "/state/rtsps.pem")
                .containsEntry("rtspServerKey", "/state/rtsps-key.pem")
                .containsEntry("rtspTransports", List.of("tcp"));
        Map<String, Object> bblp = user(config, "bblp");
        // an all-digit access code stays a string, leading zero included
        assertThat(bblp).containsEntry("pass", "01234567").containsEntry("ips", List.of());
        assertThat(maps(bblp.get("permissions")))
                .containsExactlyInAnyOrder(
                        Map.of("action", "read", "path", "streaming/live/1"),
                        Map.of("action", "read", "path", "stream"));
        Map<String, Object> paths = map(config.get("paths"));
        assertThat(map(paths.get("streaming/live/1"))).containsEntry("source", "publisher");
        assertThat(map(paths.get("stream")))
                .containsEntry("source", "redirect")
                .containsEntry("sourceRedirect", "/streaming/live/1");
    }

    @Test
    void publishingAndTheApiStayOnLoopback() throws Exception {
        Map<String, Object> config = parsedYaml();
        // plain RTSP is for ffmpeg only
        assertThat(config).containsEntry("rtspAddress", "127.0.0.1:8554").containsEntry("apiAddress", "127.0.0.1:9997");
        // HLS is for the page, which the proxy relays over HTTPS after checking the browser's credentials
        assertThat(config).containsEntry("hls", true).containsEntry("hlsAddress", "127.0.0.1:8888");
        Map<String, Object> publisher = user(config, "pandaproxy");
        assertThat(publisher)
                .containsEntry("pass", "0123456789abcdef")
                .containsEntry("ips", List.of("127.0.0.0/8", "::1"));
        // the API (readiness) is the proxy's, with its password: no anonymous user, not even on loopback
        assertThat(maps(publisher.get("permissions")))
                .containsExactly(Map.of("action", "publish", "path", "streaming/live/1"), Map.of("action", "api"));
        assertThat(maps(config.get("authInternalUsers")))
                .extracting(user -> user.get("user"))
                .containsExactlyInAnyOrder("bblp", "pandaproxy");
        assertThat(maps(config.get("authInternalUsers")))
                .allSatisfy(user -> assertThat(user.get("pass")).asString().isNotEmpty());
    }

    @Test
    void theTextIsTheCheckedTree() throws Exception {
        assertThat(parsedYaml()).isEqualTo(MediaMtxConfig.settings(inputs));
    }

    private Map<String, Object> parsedYaml() throws Exception {
        return map(new Yaml().load(MediaMtxConfig.yaml(inputs)));
    }

    private static Map<String, Object> user(Map<String, Object> config, String name) {
        return maps(config.get("authInternalUsers")).stream()
                .filter(user -> name.equals(user.get("user")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no user " + name));
    }

    private static boolean isAddress(Object value) {
        return value instanceof String text && text.matches("([0-9.]+|\\[[0-9a-f:]+])?:\\d{1,5}");
    }

    private static Predicate<Object> oneOf(String... allowed) {
        return value -> Set.of(allowed).contains(value);
    }

    private static Predicate<Object> listOf(String... allowed) {
        return value -> value instanceof List<?> list && Set.of(allowed).containsAll(list);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }
}
