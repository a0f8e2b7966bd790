package dev.pandaproxy.operator;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.SecretKeyRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** BambuPrinter resources for the operator's tests. */
public final class Printers {
    public static final String SERIAL = "01P00A000000001";

    private Printers() {
    }

    /** A printer named {@code name} in {@code namespace} at {@code host}, its code in Secret {@code <name>-code}. */
    public static BambuPrinter printer(String namespace, String name, String host) {
        BambuPrinter printer = new BambuPrinter();
        printer.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        BambuPrinterSpec spec = new BambuPrinterSpec();
        spec.setHost(host);
        spec.setSerial(SERIAL);
        spec.setAccessCodeSecret(new SecretKeyRef(name + "-code", null));
        printer.setSpec(spec);
        return printer;
    }
}
