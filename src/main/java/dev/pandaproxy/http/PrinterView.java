package dev.pandaproxy.http;

import dev.pandaproxy.json.Json;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
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
    public static PrinterView of(JsonObject print) {
        List<Ams> units = new ArrayList<>();
        for (JsonValue unit : Json.elements(Json.at(print, "ams", "ams"))) {
            List<Tray> trays = new ArrayList<>();
            for (JsonValue tray : Json.elements(Json.at(unit, "tray"))) {
                trays.add(new Tray(text(tray, "id"), text(tray, "tray_type"), colour(text(tray, "tray_color")), (int)
                        number(tray, "remain", -1)));
            }
            units.add(new Ams(text(unit, "id"), text(unit, "humidity"), trays));
        }
        List<Light> lights = new ArrayList<>();
        for (JsonValue light : Json.elements(print.value("lights_report"))) {
            lights.add(new Light(text(light, "node"), "on".equals(text(light, "mode"))));
        }
        List<Hms> errors = new ArrayList<>();
        for (JsonValue hms : Json.elements(print.value("hms"))) {
            String code = hmsCode((long) number(hms, "attr", 0), (long) number(hms, "code", 0));
            errors.add(new Hms(code, HMS_WIKI + code));
        }
        return new PrinterView(
                print.containsKey("gcode_state"),
                text(print, "gcode_state"),
                text(print, "subtask_name"),
                (int) number(print, "mc_percent", 0),
                (int) number(print, "mc_remaining_time", 0),
                (int) number(print, "layer_num", 0),
                (int) number(print, "total_layer_num", 0),
                new Temperature(number(print, "nozzle_temper", 0), number(print, "nozzle_target_temper", 0)),
                new Temperature(number(print, "bed_temper", 0), number(print, "bed_target_temper", 0)),
                // printers without a chamber sensor send none, or a string
                Json.asNumber(Json.at(print, "chamber_temper").filter(value -> value.type() == JsonValueType.NUMBER)),
                units,
                lights,
                errors,
                (long) number(print, "print_error", 0));
    }

    private static String text(JsonValue node, String key) {
        return Json.asText(Json.at(node, key));
    }

    /** A number, or a string holding one, as the printer sends either; {@code fallback} when neither. */
    private static double number(JsonValue node, String key, double fallback) {
        return Json.asNumber(Json.at(node, key)).orElse(fallback);
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
