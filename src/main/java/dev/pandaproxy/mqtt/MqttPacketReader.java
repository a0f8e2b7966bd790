package dev.pandaproxy.mqtt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads MQTT packets from a stream, refusing any larger than a limit before allocating for it. */
public final class MqttPacketReader {
    private final InputStream in;
    private final int maxPacketBytes;

    /**
     * @param in             a buffered stream
     * @param maxPacketBytes largest acceptable packet (fixed header included)
     */
    public MqttPacketReader(InputStream in, int maxPacketBytes) {
        this.in = in;
        this.maxPacketBytes = maxPacketBytes;
    }

    /**
     * The next packet.
     *
     * @throws EOFException           when the stream ended between packets
     * @throws MqttProtocolException  on a malformed, oversized or truncated packet
     */
    public MqttPacket read() throws IOException {
        return read(maxPacketBytes);
    }

    /**
     * The next packet, at most {@code limit} bytes (a client's CONNECT, read before it logged in, gets a
     * smaller limit than the packets after).
     */
    public MqttPacket read(int limit) throws IOException {
        int header = in.read();
        if (header < 0) {
            throw new EOFException("connection closed");
        }
        int length = 0;
        int multiplier = 1;
        for (int i = 0; ; i++) {
            int digit = in.read();
            if (digit < 0) {
                throw new MqttProtocolException("connection closed inside a packet header");
            }
            length += (digit & 0x7F) * multiplier;
            if ((digit & 0x80) == 0) {
                break;
            }
            if (i == 3) {
                throw new MqttProtocolException("remaining length longer than 4 bytes");
            }
            multiplier *= 128;
        }
        if (length > limit) {
            throw new MqttProtocolException("packet of " + length + " bytes exceeds the limit of " + limit);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new MqttProtocolException(
                    "connection closed inside a packet (" + body.length + " of " + length + " bytes)");
        }
        return MqttCodec.decode(header, body);
    }
}
