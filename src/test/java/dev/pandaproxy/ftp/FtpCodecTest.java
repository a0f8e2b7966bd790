package dev.pandaproxy.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FtpCodecTest {
    private static final InetAddress PRINTER = InetAddress.getLoopbackAddress();

    @Test
    void commandsKeepTheirArgumentAsSent() throws Exception {
        assertThat(FtpCodec.parseCommand("stor My Model.gcode.3mf"))
                .isEqualTo(new FtpCommand("STOR", "My Model.gcode.3mf"));
        assertThat(FtpCodec.parseCommand("PASV")).isEqualTo(new FtpCommand("PASV", ""));
        assertThat(FtpCodec.parseCommand("PASS secret").toString()).isEqualTo("PASS ********");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " STOR x", "ST", "STORE x", "S1OR x", "\u0000\u0001"})
    void garbageIsNotACommand(String line) {
        assertThatThrownBy(() -> FtpCodec.parseCommand(line)).isInstanceOf(FtpProtocolException.class);
    }

    @Test
    void passiveRepliesNameTheControlPeerWhateverAddressTheyCarry() throws Exception {
        FtpReply printerSays = new FtpReply(227, "Entering Passive Mode (0,0,0,0,195,80).");
        assertThat(FtpCodec.passiveAddress(printerSays, PRINTER)).isEqualTo(new InetSocketAddress(PRINTER, 50_000));
        assertThat(FtpCodec.extendedPassiveAddress(
                        new FtpReply(229, "Entering Extended Passive Mode (|||50001|)"), PRINTER))
                .isEqualTo(new InetSocketAddress(PRINTER, 50_001));
        assertThatThrownBy(() -> FtpCodec.passiveAddress(new FtpReply(500, "no"), PRINTER))
                .isInstanceOf(FtpProtocolException.class);
        assertThatThrownBy(() -> FtpCodec.passiveAddress(new FtpReply(227, "(1,2,3,4,0,0)"), PRINTER))
                .isInstanceOf(FtpProtocolException.class);
    }

    @Test
    void passiveRepliesAreFormattedForClients() throws Exception {
        FtpReply reply = FtpCodec.passiveReply(InetAddress.getByName("192.168.1.10"), 50_000);
        assertThat(new String(FtpCodec.format(reply), StandardCharsets.US_ASCII))
                .isEqualTo("227 Entering Passive Mode (192,168,1,10,195,80).\r\n");
        assertThat(new String(FtpCodec.format(FtpCodec.extendedPassiveReply(40_000)), StandardCharsets.US_ASCII))
                .isEqualTo("229 Entering Extended Passive Mode (|||40000|)\r\n");
    }

    @Test
    void multiLineRepliesRoundTripWithTheirMiddleLinesUntouched() throws Exception {
        String wire = "211-Features:\r\n EPSV\r\n PASV\r\n211 End\r\n";
        FtpReply reply = reader(wire).readReply();
        assertThat(reply).isEqualTo(new FtpReply(211, List.of("Features:", " EPSV", " PASV", "End")));
        assertThat(new String(FtpCodec.format(reply), StandardCharsets.US_ASCII))
                .isEqualTo(wire);
    }

    @Test
    void linesAreBoundedAndRepliesMustHaveACode() {
        assertThatThrownBy(() -> new FtpLineReader(
                                new ByteArrayInputStream(("STOR " + "x".repeat(100) + "\r\n").getBytes()), 50)
                        .readLine())
                .isInstanceOf(FtpProtocolException.class);
        assertThatThrownBy(() -> reader("hello\r\n").readReply()).isInstanceOf(FtpProtocolException.class);
        assertThatThrownBy(() -> reader("").readLine()).isInstanceOf(EOFException.class);
    }

    private static FtpLineReader reader(String text) {
        return new FtpLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), 1000);
    }
}
