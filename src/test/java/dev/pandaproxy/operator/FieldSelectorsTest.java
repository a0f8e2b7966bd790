package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

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
}
