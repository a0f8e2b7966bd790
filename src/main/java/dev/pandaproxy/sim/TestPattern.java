package dev.pandaproxy.sim;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Camera frames for the simulator: real JFIF JPEGs ({@code FF D8 FF E0}, which strict clients insist on)
 * with a moving bar, each carrying a comment segment {@code pandaproxy-sim seq=<n> sent=<epoch µs>} so a
 * receiver can tell which frame it got and when it was sent, and padded with comment segments up to a
 * requested size. Images are rendered once (shapes only: no fonts needed on headless servers); stamping
 * a frame is a byte copy.
 */
public final class TestPattern {
    private static final String STAMP_PREFIX = "pandaproxy-sim ";
    private static final Pattern STAMP = Pattern.compile("pandaproxy-sim seq=(\\d+) sent=(\\d+)");
    private static final int MAX_SEGMENT_PAYLOAD = 65_533;

    private final List<byte[]> images;

    /**
     * When a frame was sent and its sequence number.
     *
     * @param seq             sequence number within one simulator
     * @param sentEpochMicros wall-clock send time in microseconds since the epoch
     */
    public record Stamp(long seq, long sentEpochMicros) {}

    /** Renders {@code variants} images of {@code width} × {@code height}. */
    public TestPattern(int width, int height, int variants) {
        List<byte[]> rendered = new ArrayList<>();
        for (int i = 0; i < variants; i++) {
            rendered.add(render(width, height, i, variants));
        }
        this.images = List.copyOf(rendered);
    }

    /** Frame {@code seq}: an image with its stamp, padded to about {@code targetBytes} (within 4 bytes; 0: no padding). */
    public byte[] frame(long seq, long sentEpochMicros, int targetBytes) {
        byte[] image = images.get((int) (seq % images.size()));
        int insertAt = 4 + (((image[4] & 0xFF) << 8) | (image[5] & 0xFF)); // after SOI and the JFIF APP0 segment
        byte[] stamp = (STAMP_PREFIX + "seq=" + seq + " sent=" + sentEpochMicros).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(targetBytes, image.length + 64));
        out.write(image, 0, insertAt);
        comment(out, stamp);
        int padding = targetBytes - image.length - out.size() + insertAt;
        while (padding > 4) {
            int payload = Math.min(MAX_SEGMENT_PAYLOAD, padding - 4);
            comment(out, new byte[payload]);
            padding -= payload + 4;
        }
        out.write(image, insertAt, image.length - insertAt);
        return out.toByteArray();
    }

    /** The stamp of a frame made by {@link #frame}, if it carries one. */
    public static Optional<Stamp> stamp(byte[] jpeg) {
        int offset = 2;
        while (offset + 4 <= jpeg.length && (jpeg[offset] & 0xFF) == 0xFF) {
            int marker = jpeg[offset + 1] & 0xFF;
            int length = ((jpeg[offset + 2] & 0xFF) << 8) | (jpeg[offset + 3] & 0xFF);
            if (marker == 0xDA || length < 2) {
                break; // start of scan: no more header segments
            }
            if (marker == 0xFE) {
                String text = new String(jpeg, offset + 4, Math.min(length - 2, 64), StandardCharsets.US_ASCII);
                Matcher m = STAMP.matcher(text);
                if (m.lookingAt()) {
                    return Optional.of(new Stamp(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
            offset += 2 + length;
        }
        return Optional.empty();
    }

    private static void comment(ByteArrayOutputStream out, byte[] payload) {
        int length = payload.length + 2;
        out.write(0xFF);
        out.write(0xFE);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(payload, 0, payload.length);
    }

    private static byte[] render(int width, int height, int index, int variants) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setPaint(new GradientPaint(0, 0, new Color(24, 36, 52), width, height, new Color(70, 90, 60)));
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(0, 174, 66)); // Bambu green
            int bar = Math.max(8, width / 16);
            int x = (int) ((long) (width - bar) * index / Math.max(1, variants - 1));
            g.fillRect(x, height / 4, bar, height / 2);
            g.setColor(Color.WHITE);
            g.fillRect(width / 10, height - height / 8, (width * 8 / 10) * (index + 1) / variants, height / 40 + 1);
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer in this JDK");
            }
            byte[] jpeg = out.toByteArray();
            if ((jpeg[2] & 0xFF) != 0xFF || (jpeg[3] & 0xFF) != 0xE0) {
                throw new IllegalStateException("the JDK's JPEG writer did not produce JFIF");
            }
            return jpeg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
