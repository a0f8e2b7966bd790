package dev.pandaproxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The detect frames and SSDP messages, against recorded bytes from the protocol notes. */
class DiscoveryCodecTest {
    /** A P1S's announcement, as recorded in the protocol notes (§6.1). */
    static final String PRINTER_NOTIFY = """
            NOTIFY * HTTP/1.1\r
            Host: 239.255.255.250:1990\r
            Server: Buildroot/2018.02-rc3 UPnP/1.0 ssdpd/1.8\r
            Location: 192.168.1.42\r
            NT: urn:bambulab-com:device:3dprinter:1\r
            NTS: ssdp:alive\r
            USN: 01P00A000000001\r
            Cache-Control: max-age=1800\r
            DevModel.bambu.com: C12\r
            DevName.bambu.com: My P1S\r
            DevSignal.bambu.com: -44\r
            DevConnect.bambu.com: lan\r
            DevBind.bambu.com: occupied\r
            Devseclink.bambu.com: secure\r
            DevInf.bambu.com: wlan0\r
            DevVersion.bambu.com: 01.09.01.00\r
            DevCap.bambu.com: 1\r
            \r
            """;

    private static final byte[] SLICER_DETECT = DetectCodec.encode(
            "{\"login\":{\"command\":\"detect\",\"sequence_id\":\"20000\"}}".getBytes(StandardCharsets.UTF_8));

    @Test
    void detectFramesCarryTheirTotalLengthLittleEndian() throws Exception {
        byte[] frame = DetectCodec.encode("{}".getBytes());
        assertThat(HexFormat.of().formatHex(frame)).isEqualTo("a5a508007b7da7a7");
        assertThat(DetectCodec.read(new ByteArrayInputStream(frame), 4096)).isEqualTo("{}".getBytes());
    }

    @Test
    void theDetectAnswerCarriesThePrintersIdentityAndTheRequestsSequence() throws Exception {
        PrinterIdentity printer =
                new PrinterIdentity("01P00A000000001", "C12", "My P1S", "01.09.01.00", Optional.empty());
        byte[] request = DetectCodec.read(new ByteArrayInputStream(SLICER_DETECT), 4096);
        JsonNode login = new ObjectMapper()
                .readTree(DetectService.answer(request, printer, " (proxy)").orElseThrow())
                .path("login");
        assertThat(login.path("command").asText()).isEqualTo("detect");
        assertThat(login.path("id").asText()).isEqualTo("01P00A000000001");
        assertThat(login.path("model").asText()).isEqualTo("C12");
        assertThat(login.path("name").asText()).isEqualTo("My P1S (proxy)");
        assertThat(login.path("version").asText()).isEqualTo("01.09.01.00");
        assertThat(login.path("bind").asText()).isEqualTo("free");
        assertThat(login.path("connect").asText()).isEqualTo("lan");
        assertThat(login.path("dev_cap").asInt()).isEqualTo(1);
        assertThat(login.path("sequence_id").asText()).isEqualTo("20000");
        assertThat(DetectService.answer("{\"login\":{\"command\":\"bind\"}}".getBytes(), printer, ""))
                .isEmpty();
        assertThat(DetectService.answer("not json".getBytes(), printer, "")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a6a508007b7da7a7", // wrong head
                "a5a505007b", // total below the 6 bytes of head and tail
                "a5a5ffff7b7d", // announces more than the limit
                "a5a508007b7da7", // cut short
                "a5a508007b7da6a7", // wrong tail
                "a5a5"
            }) // closed inside the head
    void malformedDetectFramesAreRefused(String hex) {
        assertThatThrownBy(() ->
                        DetectCodec.read(new ByteArrayInputStream(HexFormat.of().parseHex(hex)), 4096))
                .isInstanceOf(IOException.class);
    }

    @Test
    void thePrintersAnnouncementParsesWithItsHeaderNamesAsSent() throws Exception {
        SsdpMessage notify = SsdpMessage.parse(PRINTER_NOTIFY.getBytes(), PRINTER_NOTIFY.length());
        assertThat(notify.startLine()).isEqualTo(SsdpMessage.NOTIFY);
        assertThat(notify.header("usn")).contains("01P00A000000001");
        assertThat(notify.header("DEVMODEL.BAMBU.COM")).contains("C12");
        assertThat(new String(notify.encode())).isEqualTo(PRINTER_NOTIFY);
        assertThatThrownBy(() -> SsdpMessage.parse("NOTIFY\r\nno colon here\r\n".getBytes(), 22))
                .isInstanceOf(DiscoveryProtocolException.class);
    }

    @Test
    void theReannouncementKeepsEveryHeaderAndPointsAtTheProxy() throws Exception {
        SsdpMessage heard = SsdpMessage.parse(PRINTER_NOTIFY.getBytes(), PRINTER_NOTIFY.length());
        PrinterIdentity printer =
                new PrinterIdentity("01P00A000000001", "C12", "My P1S", "01.09.01.00", Optional.of(heard));
        SsdpMessage alive = Announcements.alive(printer, "10.0.0.5", " (proxy)", "me");
        assertThat(alive.header("Location")).contains("10.0.0.5");
        assertThat(alive.header("DevBind.bambu.com")).contains("free");
        assertThat(alive.header("DevName.bambu.com")).contains("My P1S (proxy)");
        for (var header : heard.headers()) {
            assertThat(alive.header(header.getKey())).as(header.getKey()).isPresent();
        }
        SsdpMessage answer = Announcements.searchResponse(printer, "10.0.0.5", " (proxy)", "me");
        assertThat(answer.startLine()).isEqualTo(SsdpMessage.RESPONSE);
        assertThat(answer.header("ST")).contains(SsdpMessage.PRINTER_TYPE);
        assertThat(answer.header("NTS")).isEmpty();
        SsdpMessage bye = Announcements.byebye(printer, "me");
        assertThat(bye.header("NTS")).contains("ssdp:byebye");
        assertThat(bye.header("USN")).contains("01P00A000000001");
    }
}
