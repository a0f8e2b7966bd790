package dev.pandaproxy.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MqttCodecTest {
    static Stream<MqttPacket> packets() {
        return Stream.of(
                new ConnAck(false, ConnAck.ACCEPTED),
                new ConnAck(true, ConnAck.BAD_USERNAME_OR_PASSWORD),
                new Publish(false, 0, false, "device/01P00A000000001/report", 0, "{\"print\":{}}".getBytes()),
                new Publish(true, 1, true, "a/b", 7, new byte[0]),
                new Publish(false, 2, false, "ü/日本", 65_535, new byte[70_000]),
                new PubAck(1),
                new PubRec(2),
                new PubRel(3),
                new PubComp(4),
                new Subscribe(9, List.of(new TopicRequest("device/+/report", 0), new TopicRequest("#", 1))),
                new SubAck(9, List.of(0, 1, SubAck.FAILURE)),
                new Unsubscribe(10, List.of("a/#", "b")),
                new UnsubAck(10),
                new PingReq(),
                new PingResp(),
                new Disconnect());
    }

    @ParameterizedTest
    @MethodSource("packets")
    void packetsRoundTrip(MqttPacket packet) throws Exception {
        assertThat(read(MqttCodec.encode(packet))).isEqualTo(packet);
    }

    @Test
    void connectRoundTripsWithEveryOptionalPart() throws Exception {
        Connect connect = new Connect(
                4,
                true,
                60,
                "ha-bambulab-1",
                Optional.of(new Will("clients/gone", "bye".getBytes(), 1, true)),
                Optional.of("bblp"),
                Optional.of("12345678".getBytes()));
        Connect decoded = (Connect) read(MqttCodec.encode(connect));
        assertThat(decoded.clientId()).isEqualTo("ha-bambulab-1");
        assertThat(decoded.keepAliveSeconds()).isEqualTo(60);
        assertThat(decoded.cleanSession()).isTrue();
        assertThat(decoded.username()).contains("bblp");
        assertThat(new String(decoded.password().orElseThrow())).isEqualTo("12345678");
        assertThat(decoded.will().orElseThrow().topic()).isEqualTo("clients/gone");
        assertThat(decoded.will().orElseThrow().qos()).isEqualTo(1);
        assertThat(decoded.toString()).doesNotContain("12345678");
    }

    @Test
    void mqtt31ConnectIsUnderstood() throws Exception {
        Connect connect =
                new Connect(3, true, 30, "paho", Optional.empty(), Optional.of("bblp"), Optional.of("x".getBytes()));
        byte[] bytes = MqttCodec.encode(connect);
        assertThat(new String(bytes, 4, 6)).isEqualTo("MQIsdp");
        assertThat(((Connect) read(bytes)).protocolLevel()).isEqualTo(3);
    }

    @Test
    void remainingLengthUsesSevenBitsPerByte() {
        assertThat(HexFormat.of().formatHex(MqttCodec.remainingLength(0))).isEqualTo("00");
        assertThat(HexFormat.of().formatHex(MqttCodec.remainingLength(127))).isEqualTo("7f");
        assertThat(HexFormat.of().formatHex(MqttCodec.remainingLength(128))).isEqualTo("8001");
        assertThat(HexFormat.of().formatHex(MqttCodec.remainingLength(16_383))).isEqualTo("ff7f");
        assertThat(HexFormat.of().formatHex(MqttCodec.remainingLength(268_435_455)))
                .isEqualTo("ffffff7f");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("reserved type 0", "0000"),
                Arguments.of("reserved type 15", "f000"),
                Arguments.of("remaining length of five bytes", "30ffffffff01"),
                Arguments.of("truncated body", "3005000161"),
                Arguments.of("truncated header", "30"),
                Arguments.of("PUBLISH QoS 3", "36050001610001"),
                Arguments.of("PUBLISH QoS 0 with DUP", "3803000161"),
                Arguments.of("PUBLISH with a wildcard topic", "3003000123"),
                Arguments.of("PUBLISH with an empty topic", "30020000"),
                Arguments.of("PUBLISH QoS 1 with packet id 0", "320500016100" + "00"),
                Arguments.of("PUBLISH topic not UTF-8", "300300 01ff".replace(" ", "")),
                Arguments.of("PUBLISH topic with U+0000", "3003000100"),
                Arguments.of("PINGREQ with flags", "c100"),
                Arguments.of("PINGREQ with a body", "c00100"),
                Arguments.of("SUBSCRIBE without flag bit 1", "800600010001610000".substring(0, 16)),
                Arguments.of("SUBSCRIBE without topics", "82020001"),
                Arguments.of("SUBSCRIBE with QoS 3", "820600010001" + "6103"),
                Arguments.of("SUBSCRIBE with bad #", "8207000100022361" + "00"),
                Arguments.of("SUBSCRIBE with a+ level", "820700010002612b00"),
                Arguments.of("UNSUBSCRIBE without topics", "a2020001"),
                Arguments.of("PUBREL without flag bit 1", "60020001"),
                Arguments.of("CONNECT reserved flag", connect("04", "03")),
                Arguments.of("CONNECT password without user", connect("04", "42")),
                Arguments.of("CONNECT will QoS without will", connect("04", "0a")),
                Arguments.of("CONNECT trailing bytes", connect("04", "02") + "00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPacketsAreRejected(String name, String hex) {
        assertThatThrownBy(() -> read(HexFormat.of().parseHex(fixLength(hex))))
                .isInstanceOf(MqttProtocolException.class);
    }

    @Test
    void anUnknownProtocolLevelIsItsOwnError() {
        assertThatThrownBy(() -> read(HexFormat.of().parseHex(fixLength(connect("05", "02")))))
                .isInstanceOf(MqttCodec.UnsupportedProtocolException.class);
    }

    @Test
    void oversizedPacketsAreRefusedBeforeTheyAreRead() {
        byte[] huge = MqttCodec.encode(new Publish(false, 0, false, "t", 0, new byte[2000]));
        assertThatThrownBy(() -> new MqttPacketReader(new ByteArrayInputStream(huge), 1000).read())
                .isInstanceOf(MqttProtocolException.class)
                .hasMessageContaining("exceeds the limit of 1000");
    }

    @Test
    void endOfStreamBetweenPacketsIsAnOrdinaryEnd() {
        assertThatThrownBy(() -> new MqttPacketReader(new ByteArrayInputStream(new byte[0]), 1000).read())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void topicFiltersMatchLikeTheSpecSays() throws Exception {
        assertThat(TopicFilter.matches("device/+/report", "device/01P/report")).isTrue();
        assertThat(TopicFilter.matches("device/+/report", "device/01P/request")).isFalse();
        assertThat(TopicFilter.matches("device/#", "device/01P/report")).isTrue();
        assertThat(TopicFilter.matches("device/#", "device")).isTrue();
        assertThat(TopicFilter.matches("#", "device/01P/report")).isTrue();
        assertThat(TopicFilter.matches("#", "$SYS/broker")).isFalse();
        assertThat(TopicFilter.matches("+/+", "a/b/c")).isFalse();
        assertThat(TopicFilter.matches("a/b", "a/b")).isTrue();
        assertThat(TopicFilter.matches("a/b", "a/b/")).isFalse();
        assertThat(TopicFilter.matches("a/+/", "a/b/")).isTrue();
        assertThatThrownBy(() -> TopicFilter.validate("a/#/b")).isInstanceOf(MqttProtocolException.class);
        assertThatThrownBy(() -> TopicFilter.validate("a#")).isInstanceOf(MqttProtocolException.class);
    }

    /** A CONNECT for client id "c" with the given protocol level and flags byte (hex). */
    private static String connect(String level, String flags) {
        return "10" + "00" + "00044d515454" + level + flags + "003c" + "000163";
    }

    /** Replaces the placeholder remaining length (second byte "00" in {@link #connect}) with the real one. */
    private static String fixLength(String hex) {
        if (hex.startsWith("1000")) {
            int length = hex.length() / 2 - 2;
            return "10" + String.format("%02x", length) + hex.substring(4);
        }
        return hex;
    }

    private static MqttPacket read(byte[] bytes) throws Exception {
        return new MqttPacketReader(new ByteArrayInputStream(bytes), 1_000_000).read();
    }
}
