package dev.pandaproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
    private final Secret secret = Secret.of("12345678");

    @Test
    void matchesOnlyTheSameValue() {
        assertThat(secret.matches("12345678")).isTrue();
        assertThat(secret.matches("1234567")).isFalse();
        assertThat(secret.matches("123456789")).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches((String) null)).isFalse();
        assertThat(secret.matches("12345678".getBytes())).isTrue();
    }

    @Test
    void neverPrintsItself() {
        assertThat(secret.toString()).isEqualTo("********");
        assertThat(String.valueOf(secret)).doesNotContain("1234");
    }
}
