package dev.pandaproxy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the packaging tests share: the chart rendered by a real Helm engine (helm-java), multi-document YAML parsed
 * into Kubernetes objects, and a structural check of a BambuPrinter spec against the generated CRD's schema.
 * Paths are relative to the project directory, where Surefire runs the tests.
 */
final class Manifests {
    static final Path CHART = Path.of("helm", "pandaproxy");
    static final String CRD_FILE = "bambuprinters.pandaproxy.dev-v1.yml";
    static final Path CRD = Path.of("crds", CRD_FILE);
    /** The release name and namespace of the README's install command, which deploy/pandaproxy.yaml also uses. */
    static final String RELEASE = "pandaproxy";

    static final String NAMESPACE = "pandaproxy";

    private Manifests() {}

    /** {@code helm template pandaproxy helm/pandaproxy --namespace pandaproxy --skip-tests}, without extra values (helm-java renders no hooks). */
    static TemplateCommand template() {
        return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
    }

    /** The chart rendered with {@code --set key=value} for each entry, parsed. */
    static List<HasMetadata> render(Map<String, ?> values) {
        TemplateCommand template = template();
        values.forEach(template::set);
        return parse(template.call());
    }

    /**
     * The chart rendered with {@code --set key=value} for each entry, its hooks ({@code helm test}) included: helm-java
     * leaves hooks out of a render, so this renders a copy of the chart whose hook annotations are removed.
     */
    static List<HasMetadata> renderWithHooks(Map<String, ?> values) {
        try {
            Path copy = Files.createTempDirectory("chart");
            try (var files = Files.walk(CHART)) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(CHART.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.writeString(
                                target, Files.readString(file).replaceAll("(?m)^\\s*helm\\.sh/hook[-a-z]*:.*\\n", ""));
                    }
                }
            }
            TemplateCommand template =
                    new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE);
            values.forEach(template::set);
            return parse(template.call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart rendered with a values file holding {@code valuesYaml}, parsed. */
    static List<HasMetadata> renderWithValues(String valuesYaml) {
        try {
            Path values = Files.writeString(Files.createTempFile("values", ".yaml"), valuesYaml);
            try {
                return parse(template().withValuesFile(values).call());
            } finally {
                Files.delete(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every document of a multi-document YAML stream as a Kubernetes object: a known kind as its fabric8 class, any
     * other kind as a {@link GenericKubernetesResource}. Only documents holding nothing but comments (Helm's
     * {@code # Source:} headers of empty templates) are skipped; anything else that is not an object with apiVersion,
     * kind and metadata.name fails the test.
     */
    static List<HasMetadata> parse(String yaml) {
        List<String> documents = Arrays.stream(yaml.split("(?m)^---[ \\t]*$"))
                .filter(document ->
                        document.lines().map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#")))
                .toList();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : documents) {
            Object parsed = Serialization.unmarshal(document);
            assertThat(parsed).as("a Kubernetes object:%n%s", document).isInstanceOf(HasMetadata.class);
            HasMetadata object = (HasMetadata) parsed;
            assertThat(object.getApiVersion()).as("apiVersion of%n%s", document).isNotBlank();
            assertThat(object.getKind()).as("kind of%n%s", document).isNotBlank();
            assertThat(object.getMetadata()).as("metadata of%n%s", document).isNotNull();
            assertThat(object.getMetadata().getName())
                    .as("metadata.name of%n%s", document)
                    .isNotBlank();
            objects.add(object);
        }
        return objects;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only object of {@code type}; fails when there is none or more than one. */
    static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> matching =
                objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as("objects of type %s", type.getSimpleName()).hasSize(1);
        return matching.getFirst();
    }

    /** The objects of one kind, as generic resources (their fields as plain maps and lists). */
    static List<GenericKubernetesResource> ofKind(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(object -> object.getKind().equals(kind))
                .map(object -> object instanceof GenericKubernetesResource generic
                        ? generic
                        : Serialization.unmarshal(Serialization.asYaml(object), GenericKubernetesResource.class))
                .toList();
    }

    /**
     * Checks a printer example end to end: each BambuPrinter's spec fits the CRD's schema, and the Secret its
     * accessCodeSecret names is among {@code objects}, in the same namespace, with the key the operator reads.
     */
    static void assertUsablePrinters(List<HasMetadata> objects, String where) {
        List<GenericKubernetesResource> printers = ofKind(objects, "BambuPrinter");
        assertThat(printers).as("BambuPrinters in %s", where).isNotEmpty();
        for (GenericKubernetesResource printer : printers) {
            String name = printer.getMetadata().getNamespace() + "/"
                    + printer.getMetadata().getName();
            assertThat(printer.getApiVersion()).isEqualTo("pandaproxy.dev/v1alpha1");
            Object spec = printer.getAdditionalProperties().get("spec");
            assertThat(schemaErrors(spec))
                    .as("%s: BambuPrinter %s against the CRD", where, name)
                    .isEmpty();
            String secretName = printer.get("spec", "accessCodeSecret", "name");
            String key =
                    Objects.requireNonNullElse(printer.<String>get("spec", "accessCodeSecret", "key"), "access-code");
            assertThat(objects)
                    .as("%s: the Secret %s of BambuPrinter %s", where, secretName, name)
                    .filteredOn(object -> object instanceof Secret secret
                            && secret.getMetadata().getName().equals(secretName)
                            && Objects.equals(
                                    secret.getMetadata().getNamespace(),
                                    printer.getMetadata().getNamespace()))
                    .singleElement()
                    .satisfies(object -> {
                        Secret secret = (Secret) object;
                        boolean hasKey = secret.getStringData() != null
                                        && secret.getStringData().containsKey(key)
                                || secret.getData() != null && secret.getData().containsKey(key);
                        assertThat(hasKey)
                                .as("%s: Secret %s has key %s", where, secretName, key)
                                .isTrue();
                    });
        }
    }

    /** Where a BambuPrinter spec breaks the CRD's schema (unknown field, missing required one, wrong type, ...). */
    static List<String> schemaErrors(Object spec) {
        CustomResourceDefinition crd = Serialization.unmarshal(read(CRD), CustomResourceDefinition.class);
        JSONSchemaProps schema = crd.getSpec()
                .getVersions()
                .getFirst()
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec");
        List<String> errors = new ArrayList<>();
        check(spec, schema, "spec", errors);
        return errors;
    }

    // A small structural validator: enough to catch a typo, a stale field or a number where a string belongs
    // (YAML reads an unquoted access code or serial of digits as a number), without a JSON-schema library.
    private static void check(Object value, JSONSchemaProps schema, String path, List<String> errors) {
        if (value == null) {
            errors.add(path + ": null");
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!(value instanceof String || value instanceof Number)) {
                errors.add(path + ": not an integer or string");
            }
            return;
        }
        String type = Objects.requireNonNullElse(schema.getType(), "");
        switch (type) {
            case "object" -> {
                if (!(value instanceof Map<?, ?> map)) {
                    errors.add(path + ": not an object");
                    return;
                }
                Map<String, JSONSchemaProps> properties = Objects.requireNonNullElse(schema.getProperties(), Map.of());
                for (String required : Objects.requireNonNullElse(schema.getRequired(), List.<String>of())) {
                    if (!map.containsKey(required)) {
                        errors.add(path + "." + required + ": required");
                    }
                }
                map.forEach((key, child) -> {
                    JSONSchemaProps childSchema = properties.get(String.valueOf(key));
                    if (childSchema == null && schema.getAdditionalProperties() != null) {
                        childSchema = schema.getAdditionalProperties().getSchema();
                    }
                    if (childSchema == null && !Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
                        errors.add(path + "." + key + ": not in the CRD");
                    } else if (childSchema != null) {
                        check(child, childSchema, path + "." + key, errors);
                    }
                });
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    errors.add(path + ": not an array");
                    return;
                }
                if (schema.getMinItems() != null && list.size() < schema.getMinItems()
                        || schema.getMaxItems() != null && list.size() > schema.getMaxItems()) {
                    errors.add(path + ": " + list.size() + " items");
                }
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), schema.getItems().getSchema(), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!(value instanceof String string)) {
                    errors.add(path + ": not a string (" + value + ")");
                } else if (schema.getEnum() != null
                        && !schema.getEnum().isEmpty()
                        && schema.getEnum().stream().map(Manifests::enumValue).noneMatch(string::equals)) {
                    errors.add(path + ": " + string + " is not one of " + schema.getEnum());
                } else if (schema.getPattern() != null && !string.matches(schema.getPattern())) {
                    errors.add(path + ": " + string + " does not match " + schema.getPattern());
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    errors.add(path + ": not a boolean");
                }
            }
            case "integer", "number" -> {
                if (!(value instanceof Number)) {
                    errors.add(path + ": not a number");
                }
            }
            default -> {
                // no type: anything goes
            }
        }
    }

    private static String enumValue(Object node) {
        // JSONSchemaProps keeps enum values as JSON nodes; their text is the value
        String text = String.valueOf(node);
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1)
                : text;
    }
}
