package dev.pandaproxy.chamber;

/**
 * One camera frame as the printer sent it: its 16-byte header and the JPEG that follows. Both arrays are
 * shared by every viewer and never modified.
 *
 * @param header       the 16 header bytes, exactly as received
 * @param jpeg         the JPEG image
 * @param receivedAt   {@link System#nanoTime()} when it arrived
 */
public record ChamberFrame(byte[] header, byte[] jpeg, long receivedAt) {
    /** Bytes on the wire (header and image). */
    public int size() {
        return header.length + jpeg.length;
    }
}
