package dev.pandaproxy.chamber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChamberCodecTest {
    @Test
    void loginPacketMatchesTheDocumentedBytes() {
        byte[] packet = ChamberCodec.encodeLogin("bblp", "12345678".getBytes(StandardCharsets.US_ASCII));
        String expected = "40000000003000000000000000000000"
                + "62626c70" + "00".repeat(28)
                + "3132333435363738" + "00".repeat(24);
        assertThat(HexFormat.of().formatHex(packet)).isEqualTo(expected);
    }

    @Test
    void loginRoundTrips() throws Exception {
        ChamberLogin login = ChamberCodec.decodeLogin(ChamberCodec.encodeLogin("bblp", "abcdefgh".getBytes()));
        assertThat(login.username()).isEqualTo("bblp");
        assertThat(new String(login.accessCode(), StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
        assertThat(login.toString()).doesNotContain("abcdefgh");
    }

    @Test
    void aThirtyTwoByteCodeFillsItsField() throws Exception {
        String code = "x".repeat(32);
        assertThat(new String(
                        ChamberCodec.decodeLogin(ChamberCodec.encodeLogin("bblp", code.getBytes()))
                                .accessCode(),
                        StandardCharsets.US_ASCII))
                .isEqualTo(code);
        assertThatThrownBy(() -> ChamberCodec.encodeLogin("bblp", "x".repeat(33).getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> malformedLogins() {
        byte[] good = ChamberCodec.encodeLogin("bblp", "12345678".getBytes());
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("short", Arrays.copyOf(good, 79)),
                Arguments.of("long", Arrays.copyOf(good, 81)),
                Arguments.of("wrong length word", patch(good, 0, 0x41)),
                Arguments.of("wrong type word", patch(good, 4, 0x3001)),
                Arguments.of("a frame header instead", Arrays.copyOf(ChamberCodec.encodeFrameHeader(64), 80)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedLogins")
    void malformedLoginsAreRejected(String name, byte[] packet) {
        assertThatThrownBy(() -> ChamberCodec.decodeLogin(packet)).isInstanceOf(ChamberProtocolException.class);
    }

    @Test
    void frameHeaderMatchesTheDocumentedExample() throws Exception {
        byte[] header = ChamberCodec.encodeFrameHeader(65_000);
        assertThat(HexFormat.of().formatHex(header)).isEqualTo("e8fd0000000000000100000000000000");
        assertThat(ChamberCodec.decodeFrameHeader(header, 1_000_000)).isEqualTo(65_000);
    }

    static Stream<Arguments> malformedHeaders() {
        byte[] good = ChamberCodec.encodeFrameHeader(1000);
        return Stream.of(
                Arguments.of("short", Arrays.copyOf(good, 15)),
                Arguments.of("zero length", ChamberCodec.encodeFrameHeader(0)),
                Arguments.of("over the limit", ChamberCodec.encodeFrameHeader(2001)),
                Arguments.of("unsigned overflow", patch(good, 0, 0xFFFF_FFF0)),
                Arguments.of("flags 0 (a login header)", patch(good, 8, 0)),
                Arguments.of("flags 2", patch(good, 8, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void malformedFrameHeadersAreRejected(String name, byte[] header) {
        assertThatThrownBy(() -> ChamberCodec.decodeFrameHeader(header, 2000))
                .isInstanceOf(ChamberProtocolException.class);
    }

    @Test
    void onlyJpegPayloadsPass() throws Exception {
        ChamberCodec.checkJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0});
        assertThatThrownBy(() -> ChamberCodec.checkJpeg(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .isInstanceOf(ChamberProtocolException.class);
        assertThatThrownBy(() -> ChamberCodec.checkJpeg(new byte[] {(byte) 0xFF}))
                .isInstanceOf(ChamberProtocolException.class);
    }

    private static byte[] patch(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }
}
