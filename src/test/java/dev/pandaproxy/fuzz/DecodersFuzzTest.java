package dev.pandaproxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pandaproxy.chamber.ChamberCodec;
import dev.pandaproxy.chamber.ChamberProtocolException;
import dev.pandaproxy.discovery.DetectCodec;
import dev.pandaproxy.discovery.DiscoveryProtocolException;
import dev.pandaproxy.discovery.SsdpMessage;
import dev.pandaproxy.ftp.FtpCodec;
import dev.pandaproxy.ftp.FtpLineReader;
import dev.pandaproxy.ftp.FtpProtocolException;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.mqtt.MqttCodec;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacketReader;
import dev.pandaproxy.mqtt.MqttProtocolException;
import dev.pandaproxy.mqtt.ReportState;
import io.helidon.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzz tests of every decoder that reads bytes from the network. In a normal test run each
 * replays its seeds (below) and any crashing input kept under {@code src/test/resources/dev/pandaproxy/fuzz/
 * DecodersFuzzTestInputs/<method>}; {@code JAZZER_FUZZ=1} fuzzes one of them (see the README's Security section).
 *
 * <p>The property is the same everywhere: any input either decodes or is refused with the decoder's own
 * protocol exception, never another exception, a hang or an allocation beyond the decoder's limit (the fuzzing
 * run's small heap turns one into an {@link OutOfMemoryError}, which Jazzer reports).
 */
class DecodersFuzzTest {
    /** The proxy's own limits where a decoder takes one, so the fuzzer explores the refusals too. */
    private static final int MQTT_LIMIT = 16 * 1024;

    private static final int LINE_LIMIT = 4096;
    private static final int DETECT_LIMIT = 4096;
    private static final int FRAME_LIMIT = 10_000_000;

    @MethodSource("mqttSeeds")
    @FuzzTest // last, as Jazzer requires
    void mqttPackets(byte[] input) throws IOException {
        MqttPacketReader reader = new MqttPacketReader(new ByteArrayInputStream(input), MQTT_LIMIT);
        try {
            while (true) {
                MqttPacket packet = reader.read();
                // whatever decodes must encode again: the broker re-encodes what it relays
                assertThat(MqttCodec.encode(packet)).isNotEmpty();
            }
        } catch (EOFException | MqttProtocolException e) {
            // the end of the input, or a refusal
        }
    }

    @MethodSource("chamberSeeds")
    @FuzzTest // last, as Jazzer requires
    void chamberLoginAndFrameHeader(byte[] input) {
        try {
            assertThat(ChamberCodec.decodeLogin(input).username()).isNotNull();
        } catch (ChamberProtocolException e) {
            // refused
        }
        try {
            int length = ChamberCodec.decodeFrameHeader(
                    input.length >= ChamberCodec.HEADER_BYTES ? Arrays.copyOf(input, ChamberCodec.HEADER_BYTES) : input,
                    FRAME_LIMIT);
            assertThat(length).isBetween(1, FRAME_LIMIT);
            ChamberCodec.checkJpeg(input, input.length);
        } catch (ChamberProtocolException e) {
            // refused
        }
    }

    @MethodSource("ftpSeeds")
    @FuzzTest // last, as Jazzer requires
    void ftpCommandLines(byte[] input) throws IOException {
        FtpLineReader lines = new FtpLineReader(new ByteArrayInputStream(input), LINE_LIMIT);
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try {
                    assertThat(FtpCodec.parseCommand(line).verb()).isUpperCase();
                } catch (FtpProtocolException e) {
                    // a malformed command: 500
                }
            }
        } catch (FtpProtocolException | EOFException e) {
            // an overlong or unterminated line
        }
    }

    @MethodSource("ftpReplySeeds")
    @FuzzTest // last, as Jazzer requires
    void ftpRepliesAndPassiveAddresses(byte[] input) throws IOException {
        FtpLineReader replies = new FtpLineReader(new ByteArrayInputStream(input), LINE_LIMIT);
        try {
            var reply = replies.readReply();
            InetAddress printer = InetAddress.getLoopbackAddress();
            try {
                assertThat(FtpCodec.passiveAddress(reply, printer).getPort()).isBetween(1, 65_535);
            } catch (FtpProtocolException e) {
                // not a passive reply
            }
            try {
                assertThat(FtpCodec.extendedPassiveAddress(reply, printer).getPort())
                        .isBetween(1, 65_535);
            } catch (FtpProtocolException e) {
                // not an extended passive reply
            }
        } catch (FtpProtocolException | EOFException e) {
            // not a reply
        }
    }

    @MethodSource("detectSeeds")
    @FuzzTest // last, as Jazzer requires
    void detectFrames(byte[] input) throws IOException {
        try {
            byte[] json = DetectCodec.read(new ByteArrayInputStream(input), DETECT_LIMIT);
            assertThat(json.length).isLessThanOrEqualTo(DETECT_LIMIT);
        } catch (DiscoveryProtocolException | EOFException e) {
            // refused, or cut short
        }
    }

    @MethodSource("ssdpSeeds")
    @FuzzTest // last, as Jazzer requires
    void ssdpDatagrams(byte[] input) throws DiscoveryProtocolException {
        SsdpMessage message;
        try {
            message = SsdpMessage.parse(input, input.length);
        } catch (DiscoveryProtocolException e) {
            return;
        }
        // what is accepted is repeated in our answers: it must survive a round trip unchanged, one line per header
        byte[] encoded = message.encode();
        assertThat(SsdpMessage.parse(encoded, encoded.length)).isEqualTo(message);
    }

    @MethodSource("jsonSeeds")
    @FuzzTest // last, as Jazzer requires
    void jsonPayloads(byte[] input) {
        // clients' requests and the printer's reports: parsed, merged into the state, re-encoded
        Optional<JsonObject> json = Json.parseObject(input);
        json.ifPresent(report -> {
            ReportState state = new ReportState();
            state.merge(report, true);
            state.merge(report, false);
            state.fullReport("1")
                    .ifPresent(full -> assertThat(Json.parseObject(full)).isPresent());
            assertThat(Json.parseObject(Json.bytes(report))).isPresent();
        });
    }

    static Stream<Arguments> mqttSeeds() {
        return hex(
                "101d00044d5154540402003c000d6d6f73717569747465722d3132000462626c70",
                "102400044d5154540402003c00066869766d71330004626c626c700008313233343536373830",
                "82130001000e6465766963652f2b2f7265706f727400",
                "300e000a6465766963652f312f717b7d",
                "c000",
                "e000",
                "ffffffff7f");
    }

    static Stream<Arguments> jsonSeeds() {
        return text(
                "{\"pushing\":{\"command\":\"pushall\",\"sequence_id\":\"1\"}}",
                "{\"print\":{\"ams\":{\"ams\":[{\"id\":\"0\",\"tray\":[{\"id\":0,\"remain\":-1}]}]},"
                        + "\"net\":{\"info\":[{\"ip\":16777343}]},\"nozzle_temper\":2.1e2}}",
                "{\"info\":{\"command\":\"get_version\",\"module\":[{\"name\":\"ota\"}]}}",
                "{\"a\":\"\\ud83d\\ude00 [[{{\"}",
                "[".repeat(100_000),
                "{\"a\":1");
    }

    static Stream<Arguments> chamberSeeds() {
        byte[] login = ChamberCodec.encodeLogin("bblp", "12345678".getBytes(StandardCharsets.US_ASCII));
        byte[] frame = new byte[20];
        System.arraycopy(ChamberCodec.encodeFrameHeader(4), 0, frame, 0, 16);
        frame[16] = (byte) 0xFF;
        frame[17] = (byte) 0xD8;
        return Stream.of(
                Arguments.of((Object) login), Arguments.of((Object) frame), Arguments.of((Object) new byte[0]));
    }

    static Stream<Arguments> ftpSeeds() {
        return text(
                "USER bblp\r\nPASS 12345678\r\n", "STOR /cache/a b.3mf\r\nEPSV\r\n", "PASV\nRETR x\r\n", "\r\n", "X");
    }

    static Stream<Arguments> ftpReplySeeds() {
        return text(
                "227 Entering Passive Mode (192,168,1,42,195,80).\r\n",
                "229 Entering Extended Passive Mode (|||50000|)\r\n",
                "220-Welcome\r\n220 ready\r\n");
    }

    static Stream<Arguments> detectSeeds() {
        byte[] request = DetectCodec.encode(
                "{\"login\":{\"command\":\"detect\",\"sequence_id\":\"20000\"}}".getBytes(StandardCharsets.UTF_8));
        return Stream.of(Arguments.of((Object) request), Arguments.of((Object)
                HexFormat.of().parseHex("a5a5ffff")));
    }

    static Stream<Arguments> ssdpSeeds() {
        return text(
                "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1990\r\nLocation: 192.168.1.42\r\n"
                        + "NT: urn:bambulab-com:device:3dprinter:1\r\nNTS: ssdp:alive\r\nUSN: 01P00A000000001\r\n"
                        + "DevModel.bambu.com: C12\r\nDevName.bambu.com: My P1S\r\n\r\n",
                "M-SEARCH * HTTP/1.1\r\nST: urn:bambulab-com:device:3dprinter:1\r\n\r\n");
    }

    private static Stream<Arguments> hex(String... inputs) {
        return Stream.of(inputs).map(h -> Arguments.of((Object) HexFormat.of().parseHex(h)));
    }

    private static Stream<Arguments> text(String... inputs) {
        return Stream.of(inputs).map(t -> Arguments.of((Object) t.getBytes(StandardCharsets.UTF_8)));
    }
}
