package dev.pandaproxy.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Applies desired objects with server-side apply under one field manager, owned by their printer. The desired object
 * is compared with the live one as observed (the informers' cache): when every field the operator sets already has
 * its value there, nothing is sent (a resync of a hundred unchanged printers writes nothing); when anything differs —
 * a {@code kubectl scale}, an edited container, a deleted label — the apply puts it back. Fields the API server or
 * others add are left alone.
 */
final class Applier {
    static final String FIELD_MANAGER = "pandaproxy-operator";

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Applies {@code desired} as a child of {@code owner}, unless the observed {@code live} object already holds it.
     * Returns the object as it is now: the live one, or the API server's answer to the apply.
     */
    <T extends HasMetadata> T apply(T desired, HasMetadata owner, Optional<HasMetadata> live) {
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        if (live.isPresent() && LiveObjects.contains(live.get(), desired, client.getKubernetesSerialization())) {
            return cast(desired, live.get());
        }
        return client.resource(desired)
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
    }

    /**
     * Creates {@code desired} as a child of {@code owner} unless it was observed (objects holding generated secrets);
     * returns the object as it is now. One that exists though it was not observed yet (the cache lags behind its
     * creation) fails with a conflict: the reconcile is tried again once the cache has it.
     */
    <T extends HasMetadata> T createIfMissing(T desired, HasMetadata owner, Optional<HasMetadata> live) {
        if (live.isPresent()) {
            return cast(desired, live.get());
        }
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        return client.resource(desired).create();
    }

    @SuppressWarnings("unchecked") // the observed object of the desired one's kind and name
    private static <T extends HasMetadata> T cast(T desired, HasMetadata live) {
        return (T) desired.getClass().cast(live);
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
