package dev.pandaproxy.discovery;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The slicers' detect frames (TCP 3000/3002), as pure functions over bytes:
 * <pre>
 * A5 A5 | total length (u16 little-endian, head and tail included) | UTF-8 JSON | A7 A7
 * </pre>
 */
public final class DetectCodec {
    /** Head and tail bytes around the JSON. */
    static final int OVERHEAD = 6;

    private DetectCodec() {}

    /** A frame carrying {@code json}. */
    public static byte[] encode(byte[] json) {
        int total = json.length + OVERHEAD;
        if (total > 0xFFFF) {
            throw new IllegalArgumentException("detect frame of " + total + " bytes is too long");
        }
        byte[] frame = new byte[total];
        frame[0] = (byte) 0xA5;
        frame[1] = (byte) 0xA5;
        frame[2] = (byte) (total & 0xFF);
        frame[3] = (byte) (total >> 8);
        System.arraycopy(json, 0, frame, 4, json.length);
        frame[total - 2] = (byte) 0xA7;
        frame[total - 1] = (byte) 0xA7;
        return frame;
    }

    /**
     * Reads one frame and returns its JSON bytes.
     *
     * @param maxBytes largest acceptable frame; a longer announced length is refused before reading it
     */
    public static byte[] read(InputStream in, int maxBytes) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new EOFException("connection closed before a detect frame");
        }
        if ((head[0] & 0xFF) != 0xA5 || (head[1] & 0xFF) != 0xA5) {
            throw new DiscoveryProtocolException("not a detect frame (no A5 A5 head)");
        }
        int total = (head[2] & 0xFF) | (head[3] & 0xFF) << 8;
        if (total < OVERHEAD || total > maxBytes) {
            throw new DiscoveryProtocolException("detect frame length " + total + " outside 6.." + maxBytes);
        }
        byte[] rest = in.readNBytes(total - 4);
        if (rest.length < total - 4) {
            throw new DiscoveryProtocolException("detect frame cut short");
        }
        if ((rest[rest.length - 2] & 0xFF) != 0xA7 || (rest[rest.length - 1] & 0xFF) != 0xA7) {
            throw new DiscoveryProtocolException("detect frame without its A7 A7 tail");
        }
        return Arrays.copyOf(rest, rest.length - 2);
    }
}
