package dev.pandaproxy.net;

/**
 * Client-supplied text as it may appear in a log line: CR, LF and tab become backslash escapes as in Java
 * source, every other control character (NUL, ESC, line separators …) a backslash, {@code u} and four hex
 * digits, and a backslash itself is doubled; so a user name or topic can neither start a forged log line nor
 * drive the terminal. Overlong text is cut.
 */
public final class LogText {
    /** Longer client text is cut: a log line is for people, and a 1 MiB "topic" would flood the log. */
    static final int MAX_CHARS = 256;

    private LogText() {}

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
        int end = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > MAX_CHARS) {
            out.append("… (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
