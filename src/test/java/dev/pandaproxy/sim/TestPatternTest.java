package dev.pandaproxy.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TestPatternTest {
    private final TestPattern pattern = new TestPattern(320, 180, 4);

    @Test
    void framesAreDecodableJfifJpegsCarryingTheirStamp() throws Exception {
        byte[] frame = pattern.frame(42, 1_700_000_000_123_456L, 0);
        assertThat(frame).startsWith(0xFF, 0xD8, 0xFF, 0xE0);
        assertThat(TestPattern.stamp(frame)).contains(new TestPattern.Stamp(42, 1_700_000_000_123_456L));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame));
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(180);
    }

    @Test
    void framesArePaddedToTheRequestedSizeAndStayDecodable() throws Exception {
        byte[] frame = pattern.frame(7, 1, 150_000);
        assertThat(frame.length).isBetween(149_996, 150_000);
        assertThat(TestPattern.stamp(frame).orElseThrow().seq()).isEqualTo(7);
        assertThat(ImageIO.read(new ByteArrayInputStream(frame))).isNotNull();
    }

    @Test
    void imagesWithoutAStampHaveNone() {
        assertThat(TestPattern.stamp(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2}))
                .isEmpty();
    }
}
