package dev.pandaproxy.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Applies desired objects with server-side apply under one field manager, owned by their printer. The desired object
 * is compared with the live one: when every field the operator sets already has its value there, nothing is sent
 * (a resync of a hundred unchanged printers writes nothing); when anything differs — a {@code kubectl scale}, an
 * edited container, a deleted label — the apply puts it back. Fields the API server or others add are left alone.
 */
final class Applier {
    static final String FIELD_MANAGER = "pandaproxy-operator";

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    /** Applies {@code desired} as a child of {@code owner}; returns whether anything was sent. */
    boolean apply(HasMetadata desired, HasMetadata owner) {
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        HasMetadata existing = client.resource(desired).get();
        if (existing != null && LiveObjects.contains(existing, desired)) {
            return false;
        }
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return true;
    }

    /** Creates {@code desired} as a child of {@code owner} unless it exists (objects holding generated secrets). */
    boolean createIfMissing(HasMetadata desired, HasMetadata owner) {
        if (client.resource(desired).get() != null) {
            return false;
        }
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        client.resource(desired).create();
        return true;
    }

    static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
