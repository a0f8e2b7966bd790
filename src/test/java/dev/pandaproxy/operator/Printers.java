package dev.pandaproxy.operator;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** BambuPrinter resources for the operator's tests. */
public final class Printers {
    public static final String SERIAL = "01P00A000000001";

    private Printers() {}

    /** A printer named {@code name} in {@code namespace} at {@code host}, its code in Secret {@code <name>-code}. */
    public static BambuPrinter printer(String namespace, String name, String host) {
        BambuPrinter printer = new BambuPrinter();
        printer.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        BambuPrinterSpec spec = new BambuPrinterSpec();
        spec.setHost(host);
        spec.setSerial(SERIAL);
        spec.setAccessCodeSecret(new SecretKeyRef(name + "-code", null));
        printer.setSpec(spec);
        return printer;
    }

    /** Creates a printer with {@code camera} and the Secret holding its access code. */
    public static BambuPrinter create(
            KubernetesClient admin, String namespace, String name, BambuPrinterSpec.Camera camera) {
        admin.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name + "-code")
                        .withNamespace(namespace)
                        .endMetadata()
                        .addToData(
                                "access-code",
                                Base64.getEncoder().encodeToString("12345678".getBytes(StandardCharsets.US_ASCII)))
                        .build())
                .create();
        BambuPrinter printer = printer(namespace, name, "127.0.0.1");
        printer.getSpec().setCamera(camera);
        return admin.resource(printer).create();
    }

    /**
     * A proxy pod as the scheduler leaves it when another pod (often another printer's proxy) holds the printer's
     * ports on the only node.
     */
    public static Pod portConflict(String namespace, String name, Map<String, String> labels) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.")
                .endCondition()
                .endStatus()
                .build();
    }

    /**
     * Replaces fields of a printer's spec the way {@code kubectl patch --type json} does, each value given as JSON.
     * A JSON patch carries no resourceVersion, so the operator writing the printer's status at the same moment cannot
     * make it fail with 409 (a read-modify-write {@code edit} can). Not a merge patch: fabric8's mock server appends
     * to lists there, where Kubernetes replaces them.
     */
    public static void replaceInSpec(
            KubernetesClient client, String namespace, String name, Map<String, String> jsonValues) {
        String operations = jsonValues.entrySet().stream()
                .map(field -> "{\"op\":\"replace\",\"path\":\"/spec/" + field.getKey() + "\",\"value\":"
                        + field.getValue() + "}")
                .collect(Collectors.joining(",", "[", "]"));
        client.resources(BambuPrinter.class)
                .inNamespace(namespace)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON), operations);
    }
}
