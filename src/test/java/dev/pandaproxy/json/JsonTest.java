package dev.pandaproxy.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void onlyObjectsParseAndAnythingElseIsEmptyWithoutAnException() {
        assertThat(Json.parseObject(bytes("{\"a\":1}"))).isPresent();
        assertThat(Json.parseObject(bytes("not json"))).isEmpty();
        assertThat(Json.parseObject(bytes("[1,2]"))).isEmpty();
        assertThat(Json.parseObject(bytes("\"text\""))).isEmpty();
        assertThat(Json.parseObject(bytes("{\"a\":"))).isEmpty();
        assertThat(Json.parseObject(new byte[0])).isEmpty();
    }

    @Test
    void aDocumentNestedDeeperThanTheLimitIsRefusedInsteadOfOverflowingTheStack() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThat(Json.parseObject(bytes(deep))).isEmpty();
        String atLimit = "{\"a\":" + "[".repeat(Json.MAX_DEPTH - 1) + "]".repeat(Json.MAX_DEPTH - 1) + "}";
        assertThat(Json.parseObject(bytes(atLimit))).isPresent();
        // brackets inside strings, escaped quotes included, are text, not nesting
        String quoted = "{\"a\":\"" + "[\\\"".repeat(1000) + "\"}";
        assertThat(Json.parseObject(bytes(quoted))).isPresent();
    }

    @Test
    void textReadsStringsNumbersAndBooleansAsAClientWouldPrintThem() {
        JsonObject json = Json.parseObject(bytes("{\"s\":\"7\",\"n\":7,\"d\":210.5,\"b\":true,\"o\":{},\"z\":null}"))
                .orElseThrow();
        assertThat(Json.asText(json.value("s"))).isEqualTo("7");
        assertThat(Json.asText(json.value("n"))).isEqualTo("7");
        assertThat(Json.asText(json.value("d"))).isEqualTo("210.5");
        assertThat(Json.asText(json.value("b"))).isEqualTo("true");
        assertThat(Json.asText(json.value("o"))).isEmpty();
        assertThat(Json.asText(json.value("z"))).isEmpty();
        assertThat(Json.asText(json.value("missing"))).isEmpty();
        assertThat(Json.asNumber(json.value("s"))).hasValue(7);
        assertThat(Json.asNumber(json.value("o"))).isEmpty();
    }

    enum Mood {
        CALM
    }

    record Inner(String name, OptionalDouble reading) {}

    record Snapshot(
            String text,
            int count,
            long total,
            boolean on,
            Instant at,
            Mood mood,
            Optional<Inner> present,
            Optional<Inner> absent,
            Map<Integer, String> byPort,
            List<Inner> items) {}

    @Test
    void recordsAreWrittenAsJacksonWritesThemSoExistingReadersKeepWorking() throws Exception {
        Snapshot snapshot = new Snapshot(
                "a \"quoted\"\nline",
                3,
                1L << 40,
                true,
                Instant.parse("2026-12-02T04:00:00Z"),
                Mood.CALM,
                Optional.of(new Inner("x", OptionalDouble.of(21.5))),
                Optional.empty(),
                Map.of(990, "AB:CD"),
                List.of(new Inner("y", OptionalDouble.empty())));
        JsonNode written = new ObjectMapper().readTree(Json.text(Json.of(snapshot)));
        JsonNode expected = new ObjectMapper().readTree("""
                {"text":"a \\"quoted\\"\\nline","count":3,"total":1099511627776,"on":true,
                 "at":"2026-12-02T04:00:00Z","mood":"CALM","present":{"name":"x","reading":21.5},"absent":null,
                 "byPort":{"990":"AB:CD"},"items":[{"name":"y","reading":null}]}
                """);
        assertThat(written).isEqualTo(expected);
        assertThat(new ObjectMapper().readTree(Json.pretty(Json.of(snapshot)))).isEqualTo(expected);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
