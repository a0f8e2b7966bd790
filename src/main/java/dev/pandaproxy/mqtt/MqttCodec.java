package dev.pandaproxy.mqtt;

import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.Disconnect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.PingResp;
import dev.pandaproxy.mqtt.MqttPacket.PubAck;
import dev.pandaproxy.mqtt.MqttPacket.PubComp;
import dev.pandaproxy.mqtt.MqttPacket.PubRec;
import dev.pandaproxy.mqtt.MqttPacket.PubRel;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.SubAck;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.mqtt.MqttPacket.UnsubAck;
import dev.pandaproxy.mqtt.MqttPacket.Unsubscribe;
import dev.pandaproxy.mqtt.MqttPacket.Will;
import dev.pandaproxy.net.LogText;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MQTT 3.1.1 packets to and from bytes, as pure functions. Decoding is strict: reserved flag bits, bad
 * UTF-8, wildcards in topic names, zero packet identifiers and trailing bytes are protocol errors.
 *
 * <pre>
 * packet = fixed header (type &lt;&lt; 4 | flags) | remaining length (1–4 bytes, 7 bits each) | body
 * </pre>
 */
public final class MqttCodec {
    /** The largest remaining length the 4-byte encoding can express. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    private MqttCodec() {}

    // ---- decoding ----

    /**
     * Decodes one packet.
     *
     * @param fixedHeader the first byte (type and flags)
     * @param body        the {@code remaining length} bytes that followed
     */
    public static MqttPacket decode(int fixedHeader, byte[] body) throws MqttProtocolException {
        int type = (fixedHeader >> 4) & 0x0F;
        int flags = fixedHeader & 0x0F;
        Cursor in = new Cursor(body);
        MqttPacket packet = switch (type) {
            case CONNECT -> connect(requireFlags(type, flags, 0, in));
            case CONNACK -> new ConnAck((requireFlags(type, flags, 0, in).u8() & 0x01) != 0, in.u8());
            case PUBLISH -> publish(flags, in);
            case PUBACK -> new PubAck(requireFlags(type, flags, 0, in).packetId());
            case PUBREC -> new PubRec(requireFlags(type, flags, 0, in).packetId());
            case PUBREL -> new PubRel(requireFlags(type, flags, 2, in).packetId());
            case PUBCOMP -> new PubComp(requireFlags(type, flags, 0, in).packetId());
            case SUBSCRIBE -> subscribe(requireFlags(type, flags, 2, in));
            case SUBACK -> subAck(requireFlags(type, flags, 0, in));
            case UNSUBSCRIBE -> unsubscribe(requireFlags(type, flags, 2, in));
            case UNSUBACK -> new UnsubAck(requireFlags(type, flags, 0, in).packetId());
            case PINGREQ -> new PingReq();
            case PINGRESP -> new PingResp();
            case DISCONNECT -> new Disconnect();
            default -> throw new MqttProtocolException("reserved packet type " + type);
        };
        if (type >= PINGREQ) {
            requireFlags(type, flags, 0, in);
        }
        if (in.remaining() != 0) {
            throw new MqttProtocolException(
                    in.remaining() + " unexpected bytes at the end of a " + name(type) + " packet");
        }
        return packet;
    }

    private static Connect connect(Cursor in) throws MqttProtocolException {
        String protocol = in.string();
        int level = in.u8();
        boolean known = (protocol.equals("MQTT") && level == 4) || (protocol.equals("MQIsdp") && level == 3);
        if (!known) {
            throw new UnsupportedProtocolException(
                    "protocol " + LogText.escape(protocol) + " level " + level + " (MQTT 3.1.1 or 3.1 expected)");
        }
        int flags = in.u8();
        if ((flags & 0x01) != 0) {
            throw new MqttProtocolException("CONNECT reserved flag set");
        }
        boolean cleanSession = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (willQos == 3 || (!willFlag && (willQos != 0 || willRetain))) {
            throw new MqttProtocolException("CONNECT will flags are inconsistent");
        }
        if (passwordFlag && !usernameFlag && level == 4) {
            throw new MqttProtocolException("CONNECT has a password without a user name");
        }
        int keepAlive = in.u16();
        String clientId = in.string();
        Optional<Will> will = Optional.empty();
        if (willFlag) {
            String topic = topicName(in.string());
            will = Optional.of(new Will(topic, in.binary(), willQos, willRetain));
        }
        Optional<String> username = usernameFlag ? Optional.of(in.string()) : Optional.empty();
        Optional<byte[]> password = passwordFlag ? Optional.of(in.binary()) : Optional.empty();
        return new Connect(level, cleanSession, keepAlive, clientId, will, username, password);
    }

    private static Publish publish(int flags, Cursor in) throws MqttProtocolException {
        boolean dup = (flags & 0x08) != 0;
        int qos = (flags >> 1) & 0x03;
        boolean retain = (flags & 0x01) != 0;
        if (qos == 3) {
            throw new MqttProtocolException("PUBLISH with QoS 3");
        }
        if (qos == 0 && dup) {
            throw new MqttProtocolException("PUBLISH QoS 0 with the DUP flag");
        }
        String topic = topicName(in.string());
        int packetId = qos > 0 ? in.packetId() : 0;
        return new Publish(dup, qos, retain, topic, packetId, in.rest());
    }

    private static Subscribe subscribe(Cursor in) throws MqttProtocolException {
        int packetId = in.packetId();
        List<TopicRequest> topics = new ArrayList<>();
        while (in.remaining() > 0) {
            String filter = TopicFilter.validate(in.string());
            int options = in.u8();
            if ((options & 0xFC) != 0 || (options & 0x03) == 3) {
                throw new MqttProtocolException("SUBSCRIBE requested QoS byte " + options + " is invalid");
            }
            topics.add(new TopicRequest(filter, options));
        }
        if (topics.isEmpty()) {
            throw new MqttProtocolException("SUBSCRIBE without a topic filter");
        }
        return new Subscribe(packetId, List.copyOf(topics));
    }

    private static SubAck subAck(Cursor in) throws MqttProtocolException {
        int packetId = in.packetId();
        List<Integer> codes = new ArrayList<>();
        while (in.remaining() > 0) {
            codes.add(in.u8());
        }
        return new SubAck(packetId, List.copyOf(codes));
    }

    private static Unsubscribe unsubscribe(Cursor in) throws MqttProtocolException {
        int packetId = in.packetId();
        List<String> filters = new ArrayList<>();
        while (in.remaining() > 0) {
            filters.add(TopicFilter.validate(in.string()));
        }
        if (filters.isEmpty()) {
            throw new MqttProtocolException("UNSUBSCRIBE without a topic filter");
        }
        return new Unsubscribe(packetId, List.copyOf(filters));
    }

    private static Cursor requireFlags(int type, int flags, int expected, Cursor in) throws MqttProtocolException {
        if (flags != expected) {
            throw new MqttProtocolException(
                    name(type) + " with reserved flags " + flags + " (expected " + expected + ")");
        }
        return in;
    }

    private static String topicName(String topic) throws MqttProtocolException {
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new MqttProtocolException("'" + LogText.escape(topic) + "' is not a valid topic name");
        }
        return topic;
    }

    // ---- encoding ----

    /** The wire bytes of {@code packet}. */
    public static byte[] encode(MqttPacket packet) {
        Body body = new Body();
        int header = switch (packet) {
            case Connect c -> {
                body.string(c.protocolLevel() == 3 ? "MQIsdp" : "MQTT").u8(c.protocolLevel());
                int flags = (c.cleanSession() ? 0x02 : 0)
                        | c.will()
                                .map(w -> 0x04 | (w.qos() << 3) | (w.retain() ? 0x20 : 0))
                                .orElse(0)
                        | (c.password().isPresent() ? 0x40 : 0)
                        | (c.username().isPresent() ? 0x80 : 0);
                body.u8(flags).u16(c.keepAliveSeconds()).string(c.clientId());
                c.will().ifPresent(w -> body.string(w.topic()).binary(w.payload()));
                c.username().ifPresent(body::string);
                c.password().ifPresent(body::binary);
                yield CONNECT << 4;
            }
            case ConnAck a -> {
                body.u8(a.sessionPresent() ? 1 : 0).u8(a.returnCode());
                yield CONNACK << 4;
            }
            case Publish p -> {
                body.string(p.topic());
                if (p.qos() > 0) {
                    body.u16(p.packetId());
                }
                body.raw(p.payload());
                yield PUBLISH << 4 | (p.dup() ? 0x08 : 0) | p.qos() << 1 | (p.retain() ? 1 : 0);
            }
            case PubAck a -> {
                body.u16(a.packetId());
                yield PUBACK << 4;
            }
            case PubRec r -> {
                body.u16(r.packetId());
                yield PUBREC << 4;
            }
            case PubRel r -> {
                body.u16(r.packetId());
                yield PUBREL << 4 | 2;
            }
            case PubComp c -> {
                body.u16(c.packetId());
                yield PUBCOMP << 4;
            }
            case Subscribe s -> {
                body.u16(s.packetId());
                s.topics().forEach(t -> body.string(t.filter()).u8(t.qos()));
                yield SUBSCRIBE << 4 | 2;
            }
            case SubAck a -> {
                body.u16(a.packetId());
                a.returnCodes().forEach(body::u8);
                yield SUBACK << 4;
            }
            case Unsubscribe u -> {
                body.u16(u.packetId());
                u.filters().forEach(body::string);
                yield UNSUBSCRIBE << 4 | 2;
            }
            case UnsubAck a -> {
                body.u16(a.packetId());
                yield UNSUBACK << 4;
            }
            case PingReq p -> PINGREQ << 4;
            case PingResp p -> PINGRESP << 4;
            case Disconnect d -> DISCONNECT << 4;
        };
        return body.packet(header);
    }

    /** The remaining-length encoding of {@code length}. */
    static byte[] remainingLength(int length) {
        if (length < 0 || length > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("remaining length " + length + " out of range");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4);
        int value = length;
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    static String name(int type) {
        return switch (type) {
            case CONNECT -> "CONNECT";
            case CONNACK -> "CONNACK";
            case PUBLISH -> "PUBLISH";
            case PUBACK -> "PUBACK";
            case PUBREC -> "PUBREC";
            case PUBREL -> "PUBREL";
            case PUBCOMP -> "PUBCOMP";
            case SUBSCRIBE -> "SUBSCRIBE";
            case SUBACK -> "SUBACK";
            case UNSUBSCRIBE -> "UNSUBSCRIBE";
            case UNSUBACK -> "UNSUBACK";
            case PINGREQ -> "PINGREQ";
            case PINGRESP -> "PINGRESP";
            case DISCONNECT -> "DISCONNECT";
            default -> "type " + type;
        };
    }

    /** A CONNECT naming a protocol or level we do not speak: answered with CONNACK 1, then closed. */
    public static final class UnsupportedProtocolException extends MqttProtocolException {
        UnsupportedProtocolException(String message) {
            super(message);
        }
    }

    /** Reads a packet body with bounds checks. */
    private static final class Cursor {
        private final byte[] bytes;
        private int position;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        int u8() throws MqttProtocolException {
            need(1);
            return bytes[position++] & 0xFF;
        }

        int u16() throws MqttProtocolException {
            need(2);
            int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        int packetId() throws MqttProtocolException {
            int id = u16();
            if (id == 0) {
                throw new MqttProtocolException("packet identifier 0");
            }
            return id;
        }

        byte[] binary() throws MqttProtocolException {
            int length = u16();
            need(length);
            byte[] value = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        String string() throws MqttProtocolException {
            byte[] raw = binary();
            try {
                CharBuffer chars = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw));
                String value = chars.toString();
                if (value.indexOf('\u0000') >= 0) {
                    throw new MqttProtocolException("string contains U+0000");
                }
                return value;
            } catch (CharacterCodingException e) {
                throw new MqttProtocolException("string is not valid UTF-8");
            }
        }

        byte[] rest() {
            byte[] value = Arrays.copyOfRange(bytes, position, bytes.length);
            position = bytes.length;
            return value;
        }

        private void need(int count) throws MqttProtocolException {
            if (remaining() < count) {
                throw new MqttProtocolException("packet ends early (" + count + " more bytes expected)");
            }
        }
    }

    /** Builds a packet body. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int value) {
            out.write(value);
            return this;
        }

        Body u16(int value) {
            out.write(value >> 8);
            out.write(value & 0xFF);
            return this;
        }

        Body binary(byte[] value) {
            u16(value.length);
            return raw(value);
        }

        Body string(String value) {
            return binary(value.getBytes(StandardCharsets.UTF_8));
        }

        Body raw(byte[] value) {
            out.write(value, 0, value.length);
            return this;
        }

        byte[] packet(int header) {
            byte[] length = remainingLength(out.size());
            byte[] packet = new byte[1 + length.length + out.size()];
            packet[0] = (byte) header;
            System.arraycopy(length, 0, packet, 1, length.length);
            System.arraycopy(out.toByteArray(), 0, packet, 1 + length.length, out.size());
            return packet;
        }
    }
}
