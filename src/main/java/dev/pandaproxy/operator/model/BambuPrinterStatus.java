package dev.pandaproxy.operator.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator observed: conditions (Ready, PrinterReachable, CameraDetected), the camera, clients. The
 * conditions are a map keyed by type, as Kubernetes' conventions want (server-side apply merges them by type), with
 * every field a condition must have required; the generator knows no annotation for either, hence the schema patch.
 */
@SchemaCustomizer(value = SchemaPatch.class, input = """
        {"properties": {"conditions": {
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["type"],
            "items": {"required": ["type", "status", "lastTransitionTime", "reason", "message"]}}}}""")
public class BambuPrinterStatus {
    @JsonPropertyDescription("The spec generation this status describes.")
    private Long observedGeneration;

    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The camera in use: chamber, rtsp or none.")
    private String camera;

    @JsonPropertyDescription("Where clients connect, e.g. mqtts://10.0.0.5:8883.")
    private List<String> endpoints = new ArrayList<>();

    @JsonPropertyDescription("Clients connected now, per service.")
    private Map<String, Integer> clients = new LinkedHashMap<>();

    @JsonPropertyDescription("Clients connected now, all services.")
    private Integer totalClients;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getCamera() {
        return camera;
    }

    public void setCamera(String camera) {
        this.camera = camera;
    }

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public Map<String, Integer> getClients() {
        return clients;
    }

    public void setClients(Map<String, Integer> clients) {
        this.clients = clients;
    }

    public Integer getTotalClients() {
        return totalClients;
    }

    public void setTotalClients(Integer totalClients) {
        this.totalClients = totalClients;
    }
}
