package dev.pandaproxy.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human-friendly durations ({@code 10s}, {@code 500ms}, {@code 5m}, ISO {@code PT10S}) and sizes ({@code 1MiB}). */
final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

    private Units() {}

    static Duration duration(String key, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException ignored) {
            // fall through to the error below
        }
        throw new ConfigException(key + " = '" + text + "': not a duration (use e.g. 500ms, 10s, 5m or PT10S)");
    }

    static long bytes(String key, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key + " = '" + text + "': not a size (use e.g. 65536, 512KiB, 10MB or 1MiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
            case "kb" -> n * 1_000;
            case "kib" -> n << 10;
            case "mb" -> n * 1_000_000;
            case "mib" -> n << 20;
            case "gb" -> n * 1_000_000_000;
            case "gib" -> n << 30;
            default -> n;
        };
    }
}
