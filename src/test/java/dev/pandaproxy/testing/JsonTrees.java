package dev.pandaproxy.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads what the proxy sent with a JSON library other than the one that wrote it (Jackson, as the operator and
 * many clients use), so a test sees the bytes as a client would, and can address them by JSON pointer.
 */
public final class JsonTrees {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonTrees() {}

    /** The payload as a JSON object, or empty when it is not one. */
    public static Optional<ObjectNode> object(byte[] payload) {
        try {
            return JSON.readTree(payload) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
