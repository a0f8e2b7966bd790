package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.json.Json;
import io.helidon.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What the page shows of a printer report. */
class PrinterViewTest {
    @Test
    void hmsCodesAreWrittenAsTheWikiNamesItsPages() {
        assertThat(PrinterView.hmsCode(0x03000100L, 0x00010007L)).isEqualTo("0300_0100_0001_0007");
        assertThat(PrinterView.hmsCode(0x0C00_0300L, 0x0003_000BL)).isEqualTo("0C00_0300_0003_000B");
    }

    @Test
    void onlyHexColoursBecomeCssColoursAndAMissingReportIsUnknown() throws Exception {
        PrinterView view = PrinterView.of(Json.parseObject("""
                {"gcode_state":"RUNNING","ams":{"ams":[{"id":"0","tray":[
                  {"id":"0","tray_type":"PLA","tray_color":"00ae42ff","remain":80},
                  {"id":"1","tray_type":"PETG","tray_color":"red;background:url(x)"},
                  {"id":"2"}]}]}}
                """.getBytes()).orElseThrow());
        assertThat(view.ams().getFirst().trays())
                .extracting(PrinterView.Tray::colour)
                .containsExactly("#00AE42", "", "");
        assertThat(view.ams().getFirst().trays().get(2).remain()).isEqualTo(-1);
        assertThat(view.chamber()).isEmpty();
        assertThat(PrinterView.of(JsonObject.empty()).known()).isFalse();
    }
}
