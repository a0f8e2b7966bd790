package dev.pandaproxy.operator;

import dev.pandaproxy.packaging.ChartRbac;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import tools.jackson.core.type.TypeReference;

/**
 * fabric8's CRUD mock server, with server-side apply (which it does not support) treated as create-or-replace, a
 * count of the writes it receives, and the chart's RBAC enforced on the operator's requests (those impersonating
 * {@link ChartRbac#OPERATOR_USER}): a request the chart does not allow is answered 403, as a cluster would, and
 * recorded; so is one whose field selector names a field the API server does not support ({@link FieldSelectors}: 400).
 * A list of Secrets leaves out those its {@code type} selector excludes, as the API server's does. Field ownership and removal semantics of real SSA are not modelled here; that an apply leaves the status
 * alone is.
 */
final class ApplyAsCreateOrReplace extends KubernetesCrudDispatcher {
    private final AtomicInteger writes = new AtomicInteger();
    private final Set<ChartRbac.Request> operatorRequests = ConcurrentHashMap.newKeySet();
    private final List<ChartRbac.Request> operatorLog = new CopyOnWriteArrayList<>();
    private final List<ChartRbac.Request> refused = new CopyOnWriteArrayList<>();
    private volatile ChartRbac rbac;
    private volatile Predicate<ChartRbac.Request> failing = request -> false;

    /** Creates, updates, patches and deletes received so far. */
    int writes() {
        return writes.get();
    }

    /** Answers the operator's requests the way {@code rbac} decides. */
    void enforce(ChartRbac rbac) {
        this.rbac = rbac;
    }

    /** Answers the operator's requests that match with 403 as well: a cluster that refuses what the chart grants. */
    void refuse(Predicate<ChartRbac.Request> requests) {
        this.failing = requests;
    }

    /** Every kind of request the operator made (verb, resource, namespace; names left out). */
    Set<ChartRbac.Request> operatorRequests() {
        return Set.copyOf(operatorRequests);
    }

    /** Every request the operator made, in order, with the object's name. */
    List<ChartRbac.Request> operatorLog() {
        return List.copyOf(operatorLog);
    }

    /** The operator's requests a cluster would refuse: not allowed by the chart's RBAC, or an unsupported field selector. */
    List<ChartRbac.Request> refusedRequests() {
        return List.copyOf(refused);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        if (ChartRbac.OPERATOR_USER.equals(request.getHeader("Impersonate-User"))) {
            Optional<ChartRbac.Request> attributes = ChartRbac.request(method, request.getPath());
            if (attributes.isPresent()) {
                ChartRbac.Request seen = attributes.get();
                operatorLog.add(seen);
                operatorRequests.add(
                        new ChartRbac.Request(seen.verb(), seen.group(), seen.resource(), seen.namespace(), null));
                if (rbac != null && !rbac.allows(seen)) {
                    refused.add(seen);
                    return forbidden(seen);
                }
                if (failing.test(seen)) {
                    return forbidden(seen);
                }
                String[] pathAndQuery = request.getPath().split("\\?", 2);
                Optional<String> field =
                        FieldSelectors.unsupported(seen.resource(), pathAndQuery.length > 1 ? pathAndQuery[1] : "");
                if (field.isPresent()) {
                    refused.add(seen);
                    return status(400, "BadRequest", "field label not supported: " + field.get());
                }
            }
        }
        if (!method.equals("GET")) {
            writes.incrementAndGet();
        }
        String type = request.getHeader("Content-Type");
        if (method.equals("PATCH") && type != null && type.contains("apply-patch")) {
            String path = request.getPath().split("\\?", 2)[0];
            Buffer body = new Buffer(request.getBody().getBytes());
            MockResponse existing = handleGet(path);
            if (existing.code() == 404) {
                return handleCreate(new RecordedRequest(
                        "HTTP/1.1",
                        HttpMethod.POST,
                        path.substring(0, path.lastIndexOf('/')),
                        Headers.builder()
                                .add("Content-Type", "application/json")
                                .build(),
                        body));
            }
            // one field manager applying whole objects: the applied object replaces what it owns, which is never the
            // status (an apply to the main resource leaves the status subresource alone)
            GenericKubernetesResource applied = Serialization.unmarshal(
                    new String(request.getBody().getBytes(), StandardCharsets.UTF_8), GenericKubernetesResource.class);
            Object status = Serialization.unmarshal(
                            new String(existing.getBody().getBytes(), StandardCharsets.UTF_8),
                            GenericKubernetesResource.class)
                    .getAdditionalProperties()
                    .get("status");
            if (status != null) {
                applied.getAdditionalProperties().put("status", status);
            }
            return handleUpdate(new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.PUT,
                    path,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(Serialization.asJson(applied).getBytes(StandardCharsets.UTF_8))));
        }
        MockResponse answer = super.dispatch(request);
        return method.equals("GET") ? withoutSecretsOfOtherTypes(request.getPath(), answer) : answer;
    }

    /**
     * A list of Secrets as the API server answers it, which applies a {@code type} field selector (the mock ignores
     * it). Watches are left as the mock sends them: a Secret the selector leaves out, made after the watch began,
     * still reaches it here.
     */
    private static MockResponse withoutSecretsOfOtherTypes(String path, MockResponse answer) {
        String[] pathAndQuery = path.split("\\?", 2);
        Optional<ChartRbac.Request> list = ChartRbac.request("GET", path);
        if (pathAndQuery.length < 2
                || answer.code() != 200
                || list.isEmpty()
                || !list.get().verb().equals("list")
                || !list.get().resource().equals("secrets")) {
            return answer;
        }
        Map<String, Object> secrets = Serialization.unmarshal(
                new String(answer.getBody().getBytes(), StandardCharsets.UTF_8), new TypeReference<>() {});
        if (secrets.get("items") instanceof List<?> items) {
            secrets.put(
                    "items",
                    items.stream()
                            .filter(item -> item instanceof Map<?, ?> secret
                                    && FieldSelectors.meetsType(pathAndQuery[1], String.valueOf(secret.get("type"))))
                            .toList());
        }
        return answer.setBody(Serialization.asJson(secrets));
    }

    /** The API server's answer to a request its authorizer refuses. */
    private static MockResponse forbidden(ChartRbac.Request request) {
        return status(403, "Forbidden", ChartRbac.OPERATOR_USER + " cannot " + request);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                        + "\",\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }
}
