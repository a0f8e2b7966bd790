package dev.pandaproxy.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a proxy pod's {@code /status} over HTTP. The operator asks the pods, rather than giving each pod the right
 * to write its printer's status: printer pods then need no Kubernetes API access at all.
 */
final class ProxyStatusReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What a proxy says of itself.
     *
     * @param clients   clients connected now, per service ({@code camera}, {@code mqtt}, …)
     * @param reachable whether the printer answers: a printer connection is up (true), or every one that is not idle
     *                  is failing (false); unknown while the proxy has not tried
     * @param detail    the failing connections' last errors, for the condition's message
     * @param pins      the printer's certificate fingerprints the proxy pinned, by printer port
     */
    record Report(Map<String, Integer> clients, Optional<Boolean> reachable, String detail, Map<Integer, String> pins) {
    }

    /** The proxy's report, from its HTTP port; empty when the pod does not answer. */
    Optional<Report> read(String podAddress, int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host(podAddress) + ":" + port
                    + "/status")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Map<String, Integer> clients = new LinkedHashMap<>();
            boolean connected = false;
            java.util.List<String> failing = new java.util.ArrayList<>();
            JsonNode body = JSON.readTree(response.body());
            Map<Integer, String> pins = new java.util.TreeMap<>();
            body.path("printerPins").properties().forEach(pin -> {
                if (pin.getKey().matches("[0-9]{1,5}") && pin.getValue().asText().matches("[0-9A-Fa-f:]{1,200}")) {
                    pins.put(Integer.parseInt(pin.getKey()), pin.getValue().asText());
                }
            });
            for (JsonNode service : body.path("services")) {
                clients.merge(service.path("service").asText(), service.path("clients").asInt(), Integer::sum);
                JsonNode upstream = service.path("upstream");
                connected |= upstream.path("state").asText().equals("CONNECTED");
                if (upstream.path("state").asText().equals("BACKOFF") && upstream.hasNonNull("lastError")) {
                    failing.add(service.path("service").asText() + ": " + upstream.path("lastError").asText());
                }
            }
            Optional<Boolean> reachable = connected ? Optional.of(true) : failing.isEmpty() ? Optional.empty() : Optional.of(false);
            return Optional.of(new Report(clients, reachable, String.join("; ", failing), pins));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String host(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
