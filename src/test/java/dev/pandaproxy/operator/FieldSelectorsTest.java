package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.packaging.ChartRbac;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSelectorsTest {
    @Test
    void aSecretsTypeMayBeSelectedButNoOtherKindsAndNoUnknownField() {
        assertThat(FieldSelectors.unsupported("secrets", "watch=true&fieldSelector=type%21%3Dhelm.sh%2Frelease.v1"))
                .isEmpty();
        assertThat(FieldSelectors.unsupported("secrets", "fieldSelector=metadata.name%3Dpandaproxy-ca"))
                .isEmpty();
        assertThat(FieldSelectors.unsupported("configmaps", "fieldSelector=type%21%3Dhelm.sh%2Frelease.v1"))
                .contains("type");
        assertThat(FieldSelectors.unsupported("secrets", "fieldSelector=metadata.name%3Dx%2Cdata.code%3D1"))
                .contains("data.code");
        assertThat(FieldSelectors.unsupported("pods", "labelSelector=app%3Dx")).isEmpty();
    }

    @Test
    void aListOfSecretsLeavesOutTheTypesItsSelectorExcludesAsTheApiServerDoes() {
        try (MockCluster cluster = new MockCluster(ChartRbac.render(Map.of()))) {
            for (String type : new String[] {"Opaque", PrinterController.HELM_RELEASE}) {
                cluster.admin
                        .resource(new SecretBuilder()
                                .withNewMetadata()
                                .withName(type.toLowerCase().replaceAll("[^a-z0-9]", "-"))
                                .withNamespace("printers")
                                .endMetadata()
                                .withType(type)
                                .build())
                        .create();
            }
            var secrets = cluster.admin.secrets().inNamespace("printers");
            assertThat(secrets.withoutField("type", PrinterController.HELM_RELEASE)
                            .list()
                            .getItems())
                    .extracting(Secret::getType)
                    .containsExactly("Opaque");
            assertThat(secrets.withField("type", PrinterController.HELM_RELEASE)
                            .list()
                            .getItems())
                    .extracting(Secret::getType)
                    .containsExactly(PrinterController.HELM_RELEASE);
            assertThat(secrets.list().getItems()).hasSize(2);
        }
    }
}
