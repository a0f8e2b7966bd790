package dev.pandaproxy.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What the page shows of the printer, picked from its merged report ({@code print}): a pure function, so the page
 * gets named fields instead of the printer's raw report (which it would have to know by heart).
 *
 * @param known      whether any report has arrived
 * @param state      {@code gcode_state}: IDLE, PREPARE, RUNNING, PAUSE, FINISH, FAILED
 * @param job        the job's name ({@code subtask_name})
 * @param progress   percent done
 * @param remaining  minutes left
 * @param layer      current layer
 * @param layers     layers in the job
 * @param nozzle     nozzle temperature and target
 * @param bed        bed temperature and target
 * @param chamber    chamber temperature, where the printer reports one
 * @param ams        AMS units and their trays
 * @param lights     lights and whether they are on
 * @param errors     HMS codes, each with its wiki page
 * @param printError the last print error code, 0 for none
 */
public record PrinterView(
        boolean known,
        String state,
        String job,
        int progress,
        int remaining,
        int layer,
        int layers,
        Temperature nozzle,
        Temperature bed,
        OptionalDouble chamber,
        List<Ams> ams,
        List<Light> lights,
        List<Hms> errors,
        long printError) {
    /** Bambu's wiki explains each HMS code on a page of its own, named by the code. */
    static final String HMS_WIKI = "https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/";

    private static final Pattern RGBA = Pattern.compile("[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?");

    /** @param current degrees Celsius now; @param target the target, 0 when heating is off */
    public record Temperature(double current, double target) {}

    /** @param id unit number; @param humidity the printer's humidity level (1 wet … 5 dry, as reported) */
    public record Ams(String id, String humidity, List<Tray> trays) {}

    /**
     * @param id     tray number within its unit
     * @param type   filament type (PLA, PETG, …), empty for an empty tray
     * @param colour CSS colour {@code #RRGGBB}, empty when unknown
     * @param remain percent left, -1 when unknown
     */
    public record Tray(String id, String type, String colour, int remain) {}

    /** @param node which light ({@code chamber_light}, …); @param on whether it is on */
    public record Light(String node, boolean on) {}

    /** @param code the code as Bambu writes it ({@code 0300_0100_0001_0007}); @param wiki its page */
    public record Hms(String code, String wiki) {}

    /** The view of a merged {@code print} object (empty or missing: nothing known yet). */
    public static PrinterView of(JsonNode print) {
        List<Ams> units = new ArrayList<>();
        for (JsonNode unit : print.path("ams").path("ams")) {
            List<Tray> trays = new ArrayList<>();
            for (JsonNode tray : unit.path("tray")) {
                trays.add(new Tray(
                        tray.path("id").asText(),
                        tray.path("tray_type").asText(),
                        colour(tray.path("tray_color").asText()),
                        tray.path("remain").asInt(-1)));
            }
            units.add(new Ams(unit.path("id").asText(), unit.path("humidity").asText(), trays));
        }
        List<Light> lights = new ArrayList<>();
        for (JsonNode light : print.path("lights_report")) {
            lights.add(new Light(
                    light.path("node").asText(), "on".equals(light.path("mode").asText())));
        }
        List<Hms> errors = new ArrayList<>();
        for (JsonNode hms : print.path("hms")) {
            String code = hmsCode(hms.path("attr").asLong(), hms.path("code").asLong());
            errors.add(new Hms(code, HMS_WIKI + code));
        }
        return new PrinterView(
                print.has("gcode_state"),
                print.path("gcode_state").asText(),
                print.path("subtask_name").asText(),
                print.path("mc_percent").asInt(),
                print.path("mc_remaining_time").asInt(),
                print.path("layer_num").asInt(),
                print.path("total_layer_num").asInt(),
                new Temperature(
                        print.path("nozzle_temper").asDouble(),
                        print.path("nozzle_target_temper").asDouble()),
                new Temperature(
                        print.path("bed_temper").asDouble(),
                        print.path("bed_target_temper").asDouble()),
                print.path("chamber_temper").isNumber()
                        ? OptionalDouble.of(print.path("chamber_temper").asDouble())
                        : OptionalDouble.empty(),
                units,
                lights,
                errors,
                print.path("print_error").asLong());
    }

    /** The four 16-bit halves of {@code attr} and {@code code}, as the wiki names its pages. */
    static String hmsCode(long attr, long code) {
        return String.format(
                Locale.ROOT,
                "%04X_%04X_%04X_%04X",
                attr >> 16 & 0xFFFF,
                attr & 0xFFFF,
                code >> 16 & 0xFFFF,
                code & 0xFFFF);
    }

    /** {@code RRGGBBAA} as the printer sends it, as a CSS colour; anything else is no colour (never passed on to CSS). */
    private static String colour(String rgba) {
        return Optional.of(rgba)
                .filter(value -> RGBA.matcher(value).matches())
                .map(value -> "#" + value.substring(0, 6).toUpperCase(Locale.ROOT))
                .orElse("");
    }
}
