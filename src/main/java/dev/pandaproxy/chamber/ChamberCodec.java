package dev.pandaproxy.chamber;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The chamber camera wire format, as pure functions over bytes. All integers are little-endian.
 *
 * <pre>
 * header (16 bytes): u32 payload length | u32 type | u32 flags | u32 reserved
 * login  (80 bytes): header(0x40, 0x3000, 0, 0) | username[32] | access code[32]   (NUL-padded ASCII)
 * frame:             header(jpeg length, 0, 1, 0) | JPEG (FF D8 …)
 * </pre>
 */
public final class ChamberCodec {
    public static final int HEADER_BYTES = 16;
    public static final int LOGIN_BYTES = 80;
    static final int LOGIN_PAYLOAD = 0x40;
    static final int LOGIN_TYPE = 0x3000;
    static final int FRAME_FLAGS = 1;
    private static final int FIELD_BYTES = 32;

    private ChamberCodec() {}

    /** The 80-byte login packet for {@code username} and {@code accessCode} (each at most 32 bytes). */
    public static byte[] encodeLogin(String username, byte[] accessCode) {
        byte[] user = username.getBytes(StandardCharsets.US_ASCII);
        if (user.length > FIELD_BYTES || accessCode.length > FIELD_BYTES) {
            throw new IllegalArgumentException("username and access code are limited to 32 bytes each");
        }
        ByteBuffer buffer = ByteBuffer.allocate(LOGIN_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(LOGIN_PAYLOAD).putInt(LOGIN_TYPE).putInt(0).putInt(0);
        buffer.put(HEADER_BYTES, user).put(HEADER_BYTES + FIELD_BYTES, accessCode);
        return buffer.array();
    }

    /** Decodes a login packet; rejects anything but 80 bytes with the login header. */
    public static ChamberLogin decodeLogin(byte[] packet) throws ChamberProtocolException {
        if (packet.length != LOGIN_BYTES) {
            throw new ChamberProtocolException("login packet has " + packet.length + " bytes, expected " + LOGIN_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
        int payload = buffer.getInt(0);
        int type = buffer.getInt(4);
        if (payload != LOGIN_PAYLOAD || type != LOGIN_TYPE) {
            throw new ChamberProtocolException(
                    String.format("not a login packet (length 0x%x, type 0x%x)", payload, type));
        }
        byte[] user = stripNuls(Arrays.copyOfRange(packet, HEADER_BYTES, HEADER_BYTES + FIELD_BYTES));
        byte[] code = stripNuls(Arrays.copyOfRange(packet, HEADER_BYTES + FIELD_BYTES, LOGIN_BYTES));
        return new ChamberLogin(new String(user, StandardCharsets.US_ASCII), code);
    }

    /** The header of a frame carrying {@code jpegLength} bytes. */
    public static byte[] encodeFrameHeader(int jpegLength) {
        return ByteBuffer.allocate(HEADER_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(jpegLength)
                .putInt(0)
                .putInt(FRAME_FLAGS)
                .putInt(0)
                .array();
    }

    /**
     * The JPEG length announced by a frame header.
     *
     * @param maxLength largest acceptable image; a larger announcement is an error, not an allocation
     */
    public static int decodeFrameHeader(byte[] header, int maxLength) throws ChamberProtocolException {
        if (header.length != HEADER_BYTES) {
            throw new ChamberProtocolException(
                    "frame header has " + header.length + " bytes, expected " + HEADER_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = Integer.toUnsignedLong(buffer.getInt(0));
        int flags = buffer.getInt(8);
        if (flags != FRAME_FLAGS) {
            throw new ChamberProtocolException(
                    "frame header flags " + Integer.toUnsignedString(flags) + ", expected 1");
        }
        if (length == 0 || length > maxLength) {
            throw new ChamberProtocolException("frame of " + length + " bytes (limit " + maxLength + ")");
        }
        return (int) length;
    }

    /** Checks that {@code image} starts like a JPEG ({@code FF D8}). */
    public static void checkJpeg(byte[] image) throws ChamberProtocolException {
        checkJpeg(image, image.length);
    }

    /** {@link #checkJpeg(byte[])} for an image in the first {@code length} bytes of {@code buffer}. */
    public static void checkJpeg(byte[] buffer, int length) throws ChamberProtocolException {
        if (length < 2 || (buffer[0] & 0xFF) != 0xFF || (buffer[1] & 0xFF) != 0xD8) {
            throw new ChamberProtocolException("frame payload is not a JPEG image");
        }
    }

    private static byte[] stripNuls(byte[] field) {
        int end = field.length;
        while (end > 0 && field[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(field, end);
    }
}
