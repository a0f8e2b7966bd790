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
    private final int port;

    /** @param port the proxies' HTTP port */
    ProxyStatusReader(int port) {
        this.port = port;
    }

    /** Clients connected now, per service ({@code camera}, {@code mqtt}, …); empty when the pod does not answer. */
    Optional<Map<String, Integer>> clients(String podAddress) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + host(podAddress) + ":" + port
                    + "/status")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Map<String, Integer> clients = new LinkedHashMap<>();
            for (JsonNode service : JSON.readTree(response.body()).path("services")) {
                clients.merge(service.path("service").asText(), service.path("clients").asInt(), Integer::sum);
            }
            return Optional.of(clients);
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
