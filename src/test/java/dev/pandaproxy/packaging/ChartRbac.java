package dev.pandaproxy.packaging;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart's RBAC, rendered by Helm, applied the way the API server's RBAC authorizer applies it to the operator's
 * ServiceAccount: a request is allowed when a rule of a role bound to that account matches its verb, API group,
 * resource (with subresource) and name, in a namespace the binding covers. The operator's tests send their requests
 * through this, so a verb the chart forgot fails the build instead of a cluster.
 */
public final class ChartRbac {
    /** The operator's user name: its ServiceAccount as the README's install command creates it. */
    public static final String OPERATOR_USER =
            "system:serviceaccount:" + Manifests.NAMESPACE + ":" + Manifests.RELEASE + "-operator";

    /** Paths every authenticated user may read (the {@code system:discovery} role). */
    private static final List<String> DISCOVERY = List.of("/api", "/apis", "/version", "/openapi");

    private final List<Grant> grants;

    /** Rules granted in {@code namespace}, or in every namespace and cluster-wide when it is null. */
    private record Grant(List<PolicyRule> rules, String namespace) {}

    /**
     * One API request as the authorizer sees it.
     *
     * @param verb        get, list, watch, create, update, patch, delete or deletecollection
     * @param group       the API group ({@code ""} for the core group)
     * @param resource    the resource, with its subresource as {@code resource/subresource}
     * @param namespace   its namespace, or null for a cluster-wide request
     * @param name        the object's name, or null
     */
    public record Request(String verb, String group, String resource, String namespace, String name) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (namespace == null ? " (every namespace)" : " in " + namespace);
        }
    }

    private ChartRbac(List<Grant> grants) {
        this.grants = grants;
    }

    /** The chart rendered with {@code --set key=value} for each entry: what it grants the operator. */
    public static ChartRbac render(Map<String, ?> values) {
        List<HasMetadata> objects = Manifests.render(values);
        List<Grant> grants = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof ClusterRoleBinding binding && bindsOperator(binding.getSubjects())) {
                grants.add(new Grant(rules(objects, binding.getRoleRef(), null), null));
            } else if (object instanceof RoleBinding binding && bindsOperator(binding.getSubjects())) {
                String namespace = binding.getMetadata().getNamespace();
                grants.add(new Grant(rules(objects, binding.getRoleRef(), namespace), namespace));
            }
        }
        return new ChartRbac(grants);
    }

    /**
     * The request an HTTP call to the API server is, or empty for a discovery path every user may read.
     *
     * @param pathAndQuery e.g. {@code /apis/apps/v1/namespaces/printers/deployments?watch=true}
     */
    public static Optional<Request> request(String method, String pathAndQuery) {
        String[] split = pathAndQuery.split("\\?", 2);
        String query = split.length > 1 ? split[1] : "";
        List<String> segments =
                Arrays.stream(split[0].split("/")).filter(s -> !s.isEmpty()).toList();
        int start;
        String group;
        if (segments.size() >= 2 && segments.getFirst().equals("api")) {
            group = "";
            start = 2;
        } else if (segments.size() >= 3 && segments.getFirst().equals("apis")) {
            group = segments.get(1);
            start = 3;
        } else if (method.equals("GET")
                && DISCOVERY.stream().anyMatch(path -> split[0].equals(path) || split[0].startsWith(path + "/"))) {
            return Optional.empty();
        } else {
            throw new IllegalArgumentException("not a Kubernetes API path: " + pathAndQuery);
        }
        List<String> rest = segments.subList(start, segments.size());
        if (rest.isEmpty()) {
            return Optional.empty(); // the group version's discovery document
        }
        String namespace = null;
        if (rest.getFirst().equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.getFirst() + (rest.size() >= 3 ? "/" + rest.get(2) : "");
        String name = rest.size() >= 2 ? rest.get(1) : null;
        boolean watch = Arrays.asList(query.split("&")).contains("watch=true")
                || Arrays.asList(query.split("&")).contains("watch=1");
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("not a Kubernetes API method: " + method);
        };
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            // as the API server's authorizer sees it: a list or watch of one name (field selector metadata.name) is
            // checked against resourceNames like a get of that name
            name = Arrays.stream(query.split("&"))
                    .filter(parameter -> parameter.startsWith("fieldSelector="))
                    .map(parameter -> URLDecoder.decode(parameter.substring("fieldSelector=".length()), UTF_8))
                    .filter(selector -> selector.startsWith("metadata.name=") && !selector.contains(","))
                    .map(selector -> selector.substring("metadata.name=".length()))
                    .findFirst()
                    .orElse(null);
        }
        return Optional.of(new Request(verb, group, resource, namespace, name));
    }

    /** Whether the chart lets the operator make {@code request}. */
    public boolean allows(Request request) {
        return grants.stream()
                .filter(grant -> grant.namespace() == null || grant.namespace().equals(request.namespace()))
                .flatMap(grant -> grant.rules().stream())
                .anyMatch(rule -> matches(rule.getVerbs(), request.verb())
                        && matches(rule.getApiGroups(), request.group())
                        && matches(rule.getResources(), request.resource())
                        && (rule.getResourceNames() == null
                                || rule.getResourceNames().isEmpty()
                                || rule.getResourceNames().contains(request.name())));
    }

    private static boolean matches(List<String> allowed, String value) {
        return allowed != null && (allowed.contains("*") || allowed.contains(value));
    }

    private static boolean bindsOperator(List<Subject> subjects) {
        return subjects != null
                && subjects.stream()
                        .anyMatch(subject -> subject.getKind().equals("ServiceAccount")
                                && OPERATOR_USER.equals(
                                        "system:serviceaccount:" + subject.getNamespace() + ":" + subject.getName()));
    }

    /** The rules of the role a binding names: a ClusterRole, or a Role of the binding's own namespace. */
    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String bindingNamespace) {
        return objects.stream()
                .filter(object -> ref.getKind().equals("ClusterRole")
                        ? object instanceof ClusterRole
                        : object instanceof Role
                                && object.getMetadata().getNamespace().equals(bindingNamespace))
                .filter(object -> object.getMetadata().getName().equals(ref.getName()))
                .findFirst()
                .map(object -> object instanceof ClusterRole role ? role.getRules() : ((Role) object).getRules())
                .orElseThrow(() -> new AssertionError(
                        "the chart binds " + ref.getKind() + " " + ref.getName() + ", which it does not render"));
    }
}
