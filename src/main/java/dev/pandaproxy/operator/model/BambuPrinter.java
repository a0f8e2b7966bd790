package dev.pandaproxy.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One printer the operator runs a proxy for: {@code kubectl get bambuprinters}, {@code kubectl get bp}, or with
 * everything of PandaProxy {@code kubectl get pandaproxy}.
 * <p>
 * {@code kubectl get bp} shows Ready and Host; {@code -o wide} adds Age, Camera and Clients. fabric8's generator
 * orders the columns by JSON path, so Ready's path starts with {@code ..} (the only {@code conditions} is the
 * status's), which sorts before every other.
 */
@Group(BambuPrinter.GROUP)
@Version(BambuPrinter.VERSION)
@Kind("BambuPrinter")
@Singular("bambuprinter")
@Plural("bambuprinters")
@ShortNames("bp")
@Categories({"pandaproxy", "all"})
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = "..conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Host", jsonPath = ".spec.host", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Camera",
        jsonPath = ".status.camera",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Clients",
        jsonPath = ".status.totalClients",
        type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        priority = 1)
@ValidationRule(
        value = "size(self.metadata.name) <= " + BambuPrinter.MAX_NAME_LENGTH + " && !self.metadata.name.contains('.')",
        message = "metadata.name: at most " + BambuPrinter.MAX_NAME_LENGTH
                + " characters and no dots, so that the proxy's "
                + "Service (pandaproxy-<name>, a DNS label) and the label app.kubernetes.io/instance=<name> are valid")
public class BambuPrinter extends CustomResource<BambuPrinterSpec, BambuPrinterStatus> implements Namespaced {
    public static final String GROUP = "pandaproxy.dev";
    public static final String VERSION = "v1alpha1";
    /** A Service name is a DNS label of at most 63 characters, and the proxy's is {@code pandaproxy-<name>}: 63 - 11. */
    public static final int MAX_NAME_LENGTH = 52;
}
