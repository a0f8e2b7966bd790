package dev.pandaproxy.operator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The field selectors a real API server accepts, per resource: every resource supports {@code metadata.name} and
 * {@code metadata.namespace}, a few more fields of their own (each resource's registry strategy lists them); any other
 * field is refused with 400 ("field label not supported"). fabric8's mock ignores what it does not support instead, so
 * a selector the operator relies on could pass here and fail on a cluster, and a list it asks for holds objects a
 * cluster would leave out. {@link #meetsType} decides a Secret's {@code type} requirements, which the mock ignores.
 */
final class FieldSelectors {
    private static final Set<String> EVERY_RESOURCE = Set.of("metadata.name", "metadata.namespace");
    /** Beyond the metadata, the fields the operator's kinds offer (Kubernetes 1.30+). */
    private static final Map<String, Set<String>> OWN = Map.of(
            "secrets", Set.of("type"),
            "pods",
                    Set.of(
                            "spec.nodeName",
                            "spec.restartPolicy",
                            "spec.schedulerName",
                            "spec.serviceAccountName",
                            "spec.hostNetwork",
                            "status.phase",
                            "status.podIP",
                            "status.nominatedNodeName"),
            "events",
                    Set.of(
                            "involvedObject.kind",
                            "involvedObject.namespace",
                            "involvedObject.name",
                            "involvedObject.uid",
                            "involvedObject.apiVersion",
                            "involvedObject.resourceVersion",
                            "involvedObject.fieldPath",
                            "reason",
                            "reportingComponent",
                            "source",
                            "type"));

    private FieldSelectors() {}

    /** The first field of {@code query}'s field selector that the API server refuses for {@code resource}, if any. */
    static Optional<String> unsupported(String resource, String query) {
        return requirements(query)
                .map(Requirement::field)
                .filter(field -> !EVERY_RESOURCE.contains(field)
                        && !OWN.getOrDefault(resource, Set.of()).contains(field))
                .findFirst();
    }

    /** Whether a Secret of {@code type} meets every {@code type=…} and {@code type!=…} of {@code query}'s selector. */
    static boolean meetsType(String query, String type) {
        return requirements(query)
                .filter(requirement -> requirement.field().equals("type")
                        && !requirement.operator().isEmpty())
                .allMatch(requirement -> requirement.value().equals(type)
                        != requirement.operator().equals("!="));
    }

    /**
     * One requirement of a field selector: {@code field=value}, {@code field==value} or {@code field!=value}; a bare
     * field has no operator and no value.
     */
    private record Requirement(String field, String operator, String value) {
        /** The field ends where the first operator begins. */
        private static final Pattern SYNTAX = Pattern.compile("(.*?)(!=|==|=)(.*)");

        static Requirement parse(String text) {
            Matcher matcher = SYNTAX.matcher(text);
            return matcher.matches()
                    ? new Requirement(
                            matcher.group(1).strip(),
                            matcher.group(2),
                            matcher.group(3).strip())
                    : new Requirement(text.strip(), "", "");
        }
    }

    private static Stream<Requirement> requirements(String query) {
        return Arrays.stream(query.split("&"))
                .filter(parameter -> parameter.startsWith("fieldSelector="))
                .map(parameter -> URLDecoder.decode(parameter.substring("fieldSelector=".length()), UTF_8))
                .flatMap(selector -> Arrays.stream(selector.split(",")))
                .map(Requirement::parse);
    }
}
