package dev.pandaproxy.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** One printer the operator runs a proxy for: {@code kubectl get bambuprinters}. */
@Group(BambuPrinter.GROUP)
@Version(BambuPrinter.VERSION)
@Kind("BambuPrinter")
@Singular("bambuprinter")
@Plural("bambuprinters")
@ShortNames("bp")
@AdditionalPrinterColumn(name = "Host", jsonPath = ".spec.host", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Camera", jsonPath = ".status.camera", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Clients", jsonPath = ".status.totalClients", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class BambuPrinter extends CustomResource<BambuPrinterSpec, BambuPrinterStatus> implements Namespaced {
    public static final String GROUP = "pandaproxy.dev";
    public static final String VERSION = "v1alpha1";
}
