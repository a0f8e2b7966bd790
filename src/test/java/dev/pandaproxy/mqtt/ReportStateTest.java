package dev.pandaproxy.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.testing.JsonTrees;
import org.junit.jupiter.api.Test;

class ReportStateTest {
    private final ReportState state = new ReportState();

    @Test
    void deltasMergeIntoTheFullStateKeepingWhatTheyDoNotMention() throws Exception {
        merge("""
                {"print": {"command": "push_status", "nozzle_temper": 25.0, "mc_percent": 0, "gcode_state": "IDLE",
                  "hms": [{"attr": 1, "code": 2}],
                  "ams": {"ams_exist_bits": "1", "ams": [
                    {"id": "0", "humidity": "4", "tray": [
                      {"id": "0", "tray_type": "PLA", "remain": 80},
                      {"id": "1", "tray_type": "PETG", "remain": 50}]}]}}}
                """, true);
        merge("""
                {"print": {"command": "push_status", "nozzle_temper": 210.5, "gcode_state": "RUNNING", "hms": [],
                  "ams": {"ams": [{"id": "0", "tray": [{"id": "1", "remain": 49}]},
                                  {"id": "1", "tray": [{"id": "0", "tray_type": "ABS"}]}]}}}
                """, false);

        JsonNode full = full("42");
        assertThat(full.at("/print/sequence_id").asText()).isEqualTo("42");
        assertThat(full.at("/print/command").asText()).isEqualTo("push_status");
        assertThat(full.at("/print/nozzle_temper").asDouble())
                .as("scalar overwritten")
                .isEqualTo(210.5);
        assertThat(full.at("/print/mc_percent").asInt()).as("absent key kept").isZero();
        assertThat(full.at("/print/hms").size()).as("other arrays replaced").isZero();
        assertThat(full.at("/print/ams/ams_exist_bits").asText()).isEqualTo("1");
        assertThat(full.at("/print/ams/ams/0/humidity").asText())
                .as("unit kept its fields")
                .isEqualTo("4");
        assertThat(full.at("/print/ams/ams/0/tray/0/remain").asInt())
                .as("tray 0 untouched")
                .isEqualTo(80);
        assertThat(full.at("/print/ams/ams/0/tray/1/remain").asInt())
                .as("tray 1 merged by id")
                .isEqualTo(49);
        assertThat(full.at("/print/ams/ams/0/tray/1/tray_type").asText()).isEqualTo("PETG");
        assertThat(full.at("/print/ams/ams/1/tray/0/tray_type").asText())
                .as("new unit added")
                .isEqualTo("ABS");
    }

    @Test
    void theStateStandsInForAFullReportOnlyAfterOne() throws Exception {
        merge("{\"print\": {\"nozzle_temper\": 20}}", false);
        assertThat(state.complete()).isFalse();
        assertThat(state.fullReport("1")).isEmpty();
        merge("{\"print\": {\"bed_temper\": 30}}", true);
        assertThat(state.complete()).isTrue();
        assertThat(full("1").at("/print/nozzle_temper").asInt()).isEqualTo(20);
    }

    @Test
    void theVersionReplyIsCachedWithItsModulesMergedByName() throws Exception {
        assertThat(state.versionReport("7")).isEmpty();
        merge("""
                {"info": {"command": "get_version", "sequence_id": "0", "module": [
                  {"name": "ota", "sw_ver": "01.04.00.00"}, {"name": "ams/0", "sw_ver": "00.00.06.40"}]}}
                """, false);
        merge("""
                {"info": {"command": "get_version", "sequence_id": "9", "module": [{"name": "ota", "sw_ver": "01.05.00.00"}]}}
                """, false);
        JsonNode version =
                JsonTrees.object(state.versionReport("7").orElseThrow()).orElseThrow();
        assertThat(version.at("/info/sequence_id").asText()).isEqualTo("7");
        assertThat(version.at("/info/module/0/sw_ver").asText()).isEqualTo("01.05.00.00");
        assertThat(version.at("/info/module/1/name").asText()).isEqualTo("ams/0");
    }

    private void merge(String json, boolean full) {
        state.merge(Json.parseObject(json.getBytes()).orElseThrow(), full);
    }

    private JsonNode full(String sequenceId) {
        return JsonTrees.object(state.fullReport(sequenceId).orElseThrow()).orElseThrow();
    }
}
