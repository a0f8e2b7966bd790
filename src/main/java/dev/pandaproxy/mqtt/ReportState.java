package dev.pandaproxy.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
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
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode print = JSON.createObjectNode();
    private final ObjectNode info = JSON.createObjectNode();
    private boolean complete;
    private boolean versionKnown;

    /**
     * Merges one report payload; non-JSON payloads are ignored.
     *
     * @param fullReport whether this report answers a {@code pushall} (after it, the state is complete)
     */
    public synchronized void merge(JsonNode report, boolean fullReport) {
        if (report.get("print") instanceof ObjectNode delta) {
            mergeObject(print, delta, "");
            if (fullReport) {
                complete = true;
            }
        }
        if (report.get("info") instanceof ObjectNode delta
                && "get_version".equals(delta.path("command").asText())) {
            mergeObject(info, delta, "info");
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
        ObjectNode body = print.deepCopy();
        body.put("command", "push_status");
        body.put("msg", 0);
        body.put("sequence_id", sequenceId);
        return Optional.of(bytes(JSON.createObjectNode().set("print", body)));
    }

    /** A copy of the merged {@code print} object (empty before the first report). */
    public synchronized ObjectNode print() {
        return print.deepCopy();
    }

    /** The cached {@code get_version} reply for a client's request with {@code sequenceId}, if known. */
    public synchronized Optional<byte[]> versionReport(String sequenceId) {
        if (!versionKnown) {
            return Optional.empty();
        }
        ObjectNode body = info.deepCopy();
        body.put("sequence_id", sequenceId);
        return Optional.of(bytes(JSON.createObjectNode().set("info", body)));
    }

    /** The firmware version of module {@code name} (e.g. {@code ota}) from the cached {@code get_version} reply. */
    public synchronized Optional<String> moduleVersion(String name) {
        for (JsonNode module : info.path("module")) {
            if (name.equals(module.path("name").asText())) {
                return Optional.of(module.path("sw_ver").asText()).filter(v -> !v.isEmpty());
            }
        }
        return Optional.empty();
    }

    /** Parses a payload as a JSON object, or empty when it is not one. */
    public static Optional<ObjectNode> parse(byte[] payload) {
        try {
            return JSON.readTree(payload) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void mergeObject(ObjectNode target, ObjectNode delta, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = delta.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode current = target.get(field.getKey());
            JsonNode incoming = field.getValue();
            if (current instanceof ObjectNode currentObject && incoming instanceof ObjectNode incomingObject) {
                mergeObject(currentObject, incomingObject, childPath);
            } else if (current instanceof ArrayNode currentArray
                    && incoming instanceof ArrayNode incomingArray
                    && matchKey(childPath) != null) {
                mergeArray(currentArray, incomingArray, matchKey(childPath), childPath);
            } else {
                target.set(field.getKey(), incoming.deepCopy());
            }
        }
    }

    /** The arrays merged element by element, and the key their elements are matched by. */
    private static String matchKey(String path) {
        return switch (path) {
            case "ams.ams", "ams.ams[].tray" -> "id";
            case "info.module" -> "name";
            default -> null;
        };
    }

    private static void mergeArray(ArrayNode target, ArrayNode delta, String key, String path) {
        for (JsonNode element : delta) {
            if (!(element instanceof ObjectNode incoming) || !incoming.has(key)) {
                target.removeAll().addAll(delta.deepCopy()); // not matchable: take the new list as it is
                return;
            }
            ObjectNode existing = find(target, key, incoming.get(key));
            if (existing == null) {
                target.add(incoming.deepCopy());
            } else {
                mergeObject(existing, incoming, path + "[]");
            }
        }
    }

    private static ObjectNode find(ArrayNode array, String key, JsonNode value) {
        for (JsonNode element : array) {
            if (element instanceof ObjectNode object && value.equals(object.get(key))) {
                return object;
            }
        }
        return null;
    }
}
