package dev.pandaproxy.json;

import io.helidon.json.JsonArray;
import io.helidon.json.JsonBoolean;
import io.helidon.json.JsonException;
import io.helidon.json.JsonGenerator;
import io.helidon.json.JsonNull;
import io.helidon.json.JsonNumber;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonParser;
import io.helidon.json.JsonString;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * JSON as the proxy reads and writes it, over Helidon's own JSON values ({@code io.helidon.json}), which the web
 * server loads anyway: the printer's reports, clients' requests, {@code /status} and the page's events. The proxy
 * command loads no other JSON library (Jackson's data binding took ~440 classes and ~8 MB, issue 15).
 */
public final class Json {
    /**
     * Deepest nesting a parsed document may have. Printer reports nest five levels; the parser recurses per level,
     * so a hostile client's {@code [[[[…} would otherwise end in a stack overflow.
     */
    public static final int MAX_DEPTH = 64;

    private Json() {}

    /** Parses a payload as a JSON object, or empty when it is not one (or nests deeper than {@link #MAX_DEPTH}). */
    public static Optional<JsonObject> parseObject(byte[] payload) {
        if (!withinDepth(payload)) {
            return Optional.empty();
        }
        try {
            JsonValue value = JsonParser.create(payload).readJsonValue();
            return value.type() == JsonValueType.OBJECT ? Optional.of(value.asObject()) : Optional.empty();
        } catch (JsonException | IllegalStateException | IndexOutOfBoundsException e) {
            // the parser's messages quote the payload: they are never passed on
            return Optional.empty();
        }
    }

    /** The compact JSON text of {@code value}, UTF-8. */
    public static byte[] bytes(JsonValue value) {
        return write(value, false);
    }

    /** The compact JSON text of {@code value}. */
    public static String text(JsonValue value) {
        return new String(write(value, false), StandardCharsets.UTF_8);
    }

    /** The JSON text of {@code value} indented for people ({@code curl …/status}). */
    public static String pretty(JsonValue value) {
        return new String(write(value, true), StandardCharsets.UTF_8);
    }

    private static byte[] write(JsonValue value, boolean indented) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JsonGenerator.create(out, indented)) {
            value.toJson(generator);
        }
        return out.toByteArray();
    }

    /** The value at {@code keys} below {@code node}, each key naming a member of an object. */
    public static Optional<JsonValue> at(JsonValue node, String... keys) {
        JsonValue current = node;
        for (String key : keys) {
            if (current.type() != JsonValueType.OBJECT) {
                return Optional.empty();
            }
            Optional<JsonValue> member = current.asObject().value(key);
            if (member.isEmpty()) {
                return Optional.empty();
            }
            current = member.get();
        }
        return Optional.of(current);
    }

    /** A string as it is, a number or boolean as its JSON text, anything else (or nothing) as {@code ""}. */
    public static String asText(Optional<JsonValue> value) {
        return value.map(v -> switch (v.type()) {
                    case STRING -> v.asString().value();
                    case NUMBER, BOOLEAN -> v.toString();
                    default -> "";
                })
                .orElse("");
    }

    /** {@link #asText(Optional)}, or {@code fallback} where that is empty (a request without a {@code sequence_id}). */
    public static String asText(Optional<JsonValue> value, String fallback) {
        String text = asText(value);
        return text.isEmpty() ? fallback : text;
    }

    /** A number's value, or a string holding one; empty for anything else. */
    public static OptionalDouble asNumber(Optional<JsonValue> value) {
        if (value.isEmpty()) {
            return OptionalDouble.empty();
        }
        JsonValue v = value.get();
        if (v.type() == JsonValueType.NUMBER) {
            return OptionalDouble.of(v.asNumber().doubleValue());
        }
        if (v.type() == JsonValueType.STRING) {
            try {
                return OptionalDouble.of(Double.parseDouble(v.asString().value().trim()));
            } catch (NumberFormatException e) {
                return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** The elements of an array, or none when {@code value} is not one. */
    public static List<JsonValue> elements(Optional<JsonValue> value) {
        return value.filter(v -> v.type() == JsonValueType.ARRAY)
                .map(v -> v.asArray().values())
                .orElse(List.of());
    }

    /** The members of an object in their order, or none when {@code value} is not one. */
    public static Map<String, JsonValue> members(JsonObject object) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (String key : object.keysAsStrings()) {
            members.put(key, object.value(key).orElseThrow());
        }
        return members;
    }

    /**
     * The JSON value of a snapshot: records as objects of their components in declaration order, maps as objects,
     * collections as arrays, an empty optional as {@code null} and a present one as its content, times and enums
     * as their text. The status records are written this way, so a new component appears without more code.
     */
    public static JsonValue of(Object value) {
        return switch (value) {
            case null -> JsonNull.instance();
            case JsonValue json -> json;
            case String text -> JsonString.create(text);
            case Boolean flag -> JsonBoolean.create(flag);
            case Integer number -> JsonNumber.create(number.longValue());
            case Long number -> JsonNumber.create(number);
            case Double number -> JsonNumber.create(number);
            case BigDecimal number -> JsonNumber.create(number);
            case BigInteger number -> JsonNumber.create(new BigDecimal(number));
            case Optional<?> optional -> of(optional.orElse(null));
            case OptionalDouble optional -> optional.isPresent() ? of(optional.getAsDouble()) : JsonNull.instance();
            case Enum<?> constant -> JsonString.create(constant.name());
            case Temporal time -> JsonString.create(time.toString());
            case Collection<?> items ->
                JsonArray.create(items.stream().map(Json::of).toList());
            case Map<?, ?> map -> {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                map.forEach((key, member) -> members.put(String.valueOf(key), of(member)));
                yield JsonObject.create(members);
            }
            case Record record -> ofRecord(record);
            default ->
                throw new IllegalArgumentException(
                        "no JSON form for " + value.getClass().getName());
        };
    }

    private static JsonObject ofRecord(Record record) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                members.put(component.getName(), of(component.getAccessor().invoke(record)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("record component " + component.getName() + " not readable", e);
            }
        }
        return JsonObject.create(members);
    }

    /**
     * Whether the document nests at most {@link #MAX_DEPTH} objects and arrays. Counts brackets outside strings:
     * a pass over the bytes, before the recursive parser sees them.
     */
    static boolean withinDepth(byte[] payload) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < payload.length; i++) {
            byte b = payload[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return true;
    }
}
