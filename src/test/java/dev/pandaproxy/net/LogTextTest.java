package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void controlCharactersBecomeVisibleEscapesOnOneLine() {
        assertThat(LogText.escape("evil\r\nmqtt: admin logged in")).isEqualTo("evil\\r\\nmqtt: admin logged in");
        assertThat(LogText.escape("a\u0000b\u001b[2Jc\td\u2028")).isEqualTo("a\\u0000b\\u001b[2Jc\\td\\u2028");
        // a backslash is doubled, so an escape the client typed cannot pass for one we made
        assertThat(LogText.escape("\\n")).isEqualTo("\\\\n");
        assertThat(LogText.escape("device/01S00/report")).isEqualTo("device/01S00/report");
    }

    @Test
    void overlongTextIsCut() {
        String escaped = LogText.escape("x".repeat(100_000));
        assertThat(escaped)
                .startsWith("x".repeat(LogText.MAX_CHARS))
                .endsWith("… (100000 chars)")
                .hasSizeLessThan(300);
    }
}
