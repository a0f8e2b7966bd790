package dev.pandaproxy.mqtt;

import dev.pandaproxy.json.Json;
import io.helidon.json.JsonArray;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The printer's current state, rebuilt from its reports. P1/A1 printers send small deltas and a full
 * report only when asked ({@code pushall}), so the proxy keeps the merged state and answers clients'
 * {@code pushall} from it instead of asking the printer each time.
 *
 * <p>Merging (protocol notes §4.3): objects merge recursively, scalars and other arrays are replaced,
 * keys absent from a delta are kept, and the AMS unit list {@code print.ams.ams[]} and each unit's
 * {@code tray[]} merge element by element, matched by {@code id}. The {@code get_version} reply
 * ({@code info}) is cached the same way, its {@code module[]} matched by {@code name}.
 */
public final class ReportState {
    // immutable values: a merge builds new objects along the changed paths, and readers share the result
    private JsonObject print = JsonObject.empty();
    private JsonObject info = JsonObject.empty();
    private boolean complete;
    private boolean versionKnown;

    /**
     * Merges one report.
     *
     * @param fullReport whether this report answers a {@code pushall} (after it, the state is complete)
     */
    public synchronized void merge(JsonObject report, boolean fullReport) {
        Optional<JsonObject> printDelta = object(report.value("print"));
        if (printDelta.isPresent()) {
            print = mergeObject(print, printDelta.get(), "");
            if (fullReport) {
                complete = true;
            }
        }
        Optional<JsonObject> infoDelta = object(report.value("info"));
        if (infoDelta.isPresent()
                && "get_version".equals(Json.asText(infoDelta.get().value("command")))) {
            info = mergeObject(info, infoDelta.get(), "info");
            versionKnown = true;
        }
    }

    /**
     * Runs {@code step} while no report is merged. Merging and fanning out a report is one such step, and so is
     * registering a new subscriber together with its snapshot: a subscriber then gets either a report or a
     * snapshot that already holds it, never both.
     */
    public synchronized void exclusive(Runnable step) {
        step.run();
    }

    /** Whether a full report has been merged, so the state can stand in for one. */
    public synchronized boolean complete() {
        return complete;
    }

    /** A full report answering a client's {@code pushall} with {@code sequenceId}, once the state is complete. */
    public synchronized Optional<byte[]> fullReport(String sequenceId) {
        if (!complete) {
            return Optional.empty();
        }
        JsonObject body = JsonObject.builder()
                .from(print)
                .set("command", "push_status")
                .set("msg", 0)
                .set("sequence_id", sequenceId)
                .build();
        return Optional.of(Json.bytes(JsonObject.builder().set("print", body).build()));
    }

    /** The merged {@code print} object (empty before the first report). */
    public synchronized JsonObject print() {
        return print;
    }

    /** The cached {@code get_version} reply for a client's request with {@code sequenceId}, if known. */
    public synchronized Optional<byte[]> versionReport(String sequenceId) {
        if (!versionKnown) {
            return Optional.empty();
        }
        JsonObject body =
                JsonObject.builder().from(info).set("sequence_id", sequenceId).build();
        return Optional.of(Json.bytes(JsonObject.builder().set("info", body).build()));
    }

    /** The firmware version of module {@code name} (e.g. {@code ota}) from the cached {@code get_version} reply. */
    public synchronized Optional<String> moduleVersion(String name) {
        for (JsonValue module : Json.elements(info.value("module"))) {
            if (name.equals(Json.asText(Json.at(module, "name")))) {
                return Optional.of(Json.asText(Json.at(module, "sw_ver"))).filter(v -> !v.isEmpty());
            }
        }
        return Optional.empty();
    }

    private static JsonObject mergeObject(JsonObject target, JsonObject delta, String path) {
        Map<String, JsonValue> merged = Json.members(target);
        for (String key : delta.keysAsStrings()) {
            String childPath = path.isEmpty() ? key : path + "." + key;
            JsonValue current = merged.get(key);
            JsonValue incoming = delta.value(key).orElseThrow();
            if (isA(current, JsonValueType.OBJECT) && isA(incoming, JsonValueType.OBJECT)) {
                merged.put(key, mergeObject(current.asObject(), incoming.asObject(), childPath));
            } else if (isA(current, JsonValueType.ARRAY)
                    && isA(incoming, JsonValueType.ARRAY)
                    && matchKey(childPath) != null) {
                merged.put(key, mergeArray(current.asArray(), incoming.asArray(), matchKey(childPath), childPath));
            } else {
                merged.put(key, incoming);
            }
        }
        return JsonObject.create(merged);
    }

    /** The arrays merged element by element, and the key their elements are matched by. */
    private static String matchKey(String path) {
        return switch (path) {
            case "ams.ams", "ams.ams[].tray" -> "id";
            case "info.module" -> "name";
            default -> null;
        };
    }

    private static JsonArray mergeArray(JsonArray target, JsonArray delta, String key, String path) {
        List<JsonValue> merged = new ArrayList<>(target.values());
        for (JsonValue element : delta.values()) {
            if (!isA(element, JsonValueType.OBJECT) || !element.asObject().containsKey(key)) {
                return delta; // not matchable: take the new list as it is
            }
            JsonObject incoming = element.asObject();
            int existing = indexOf(merged, key, Json.asText(incoming.value(key)));
            if (existing < 0) {
                merged.add(incoming);
            } else {
                merged.set(existing, mergeObject(merged.get(existing).asObject(), incoming, path + "[]"));
            }
        }
        return JsonArray.create(merged);
    }

    /** Matched by the key's text: Helidon's JSON numbers have no value equality. */
    private static int indexOf(List<JsonValue> array, String key, String value) {
        for (int i = 0; i < array.size(); i++) {
            JsonValue element = array.get(i);
            if (isA(element, JsonValueType.OBJECT)
                    && value.equals(Json.asText(element.asObject().value(key)))) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<JsonObject> object(Optional<JsonValue> value) {
        return value.filter(v -> isA(v, JsonValueType.OBJECT)).map(JsonValue::asObject);
    }

    private static boolean isA(JsonValue value, JsonValueType type) {
        return value != null && value.type() == type;
    }
}
