package dev.pandaproxy.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies desired objects with server-side apply under one field manager, owned by their printer. An object whose
 * last applied form is unchanged is not sent again: the hash of what was applied rides along as an annotation, so a
 * resync of a hundred unchanged printers writes nothing.
 */
final class Applier {
    static final String FIELD_MANAGER = "pandaproxy-operator";
    static final String APPLIED_HASH = "pandaproxy.dev/applied-hash";

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    /** Applies {@code desired} as a child of {@code owner}; returns whether anything was sent. */
    boolean apply(HasMetadata desired, HasMetadata owner) {
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        String hash = hash(desired);
        HasMetadata existing = client.resource(desired).get();
        if (existing != null && hash.equals(annotations(existing).get(APPLIED_HASH))) {
            return false;
        }
        Map<String, String> annotations = new LinkedHashMap<>(annotations(desired));
        annotations.put(APPLIED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
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

    private static Map<String, String> annotations(HasMetadata object) {
        return object.getMetadata().getAnnotations() == null ? Map.of() : object.getMetadata().getAnnotations();
    }

    private static String hash(HasMetadata desired) {
        try {
            byte[] json = Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
