package dev.pandaproxy.discovery;

import dev.pandaproxy.net.LogText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An SSDP-style datagram as BambuLab printers send them (HTTP over UDP): a start line and headers, whose
 * names keep their case ({@code DevModel.bambu.com}) and are looked up case-insensitively.
 *
 * @param startLine {@code NOTIFY * HTTP/1.1}, {@code M-SEARCH * HTTP/1.1} or {@code HTTP/1.1 200 OK}
 * @param headers   in order
 */
public record SsdpMessage(String startLine, List<Map.Entry<String, String>> headers) {
    public static final String NOTIFY = "NOTIFY * HTTP/1.1";
    public static final String SEARCH = "M-SEARCH * HTTP/1.1";
    public static final String RESPONSE = "HTTP/1.1 200 OK";
    /** The search target and notification type of Bambu printers. */
    public static final String PRINTER_TYPE = "urn:bambulab-com:device:3dprinter:1";

    private static final int MAX_HEADERS = 64;

    public SsdpMessage {
        headers = List.copyOf(headers);
    }

    /**
     * Parses a datagram; anything without a start line and well-formed headers is refused, and so is any control
     * character inside a line (a bare CR, a NUL …): header values are repeated in the proxy's own announcements.
     */
    public static SsdpMessage parse(byte[] data, int length) throws DiscoveryProtocolException {
        String text = new String(data, 0, length, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new DiscoveryProtocolException("empty datagram");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < lines.length && !lines[i].isEmpty(); i++) {
            if (lines[i].chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
                throw new DiscoveryProtocolException("control character in line '" + LogText.escape(lines[i]) + "'");
            }
            if (i == 0) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            // a name of blanks only would be repeated in our answers as a line without a name (found by fuzzing)
            if (colon < 0 || lines[i].substring(0, colon).isBlank() || headers.size() == MAX_HEADERS) {
                throw new DiscoveryProtocolException("malformed header line: '" + LogText.escape(lines[i]) + "'");
            }
            headers.add(Map.entry(
                    lines[i].substring(0, colon).strip(),
                    lines[i].substring(colon + 1).strip()));
        }
        return new SsdpMessage(lines[0].strip(), headers);
    }

    /** The value of header {@code name} (case-insensitive). */
    public Optional<String> header(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** This message with header {@code name} set to {@code value} (replaced in place, or added). */
    public SsdpMessage with(String name, String value) {
        List<Map.Entry<String, String>> result = new ArrayList<>();
        boolean replaced = false;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                result.add(Map.entry(header.getKey(), value));
                replaced = true;
            } else {
                result.add(header);
            }
        }
        if (!replaced) {
            result.add(Map.entry(name, value));
        }
        return new SsdpMessage(startLine, result);
    }

    /** This message without header {@code name}. */
    public SsdpMessage without(String name) {
        return new SsdpMessage(
                startLine,
                headers.stream().filter(h -> !h.getKey().equalsIgnoreCase(name)).toList());
    }

    /** This message with another start line. */
    public SsdpMessage startingWith(String line) {
        return new SsdpMessage(line, headers);
    }

    public byte[] encode() {
        StringBuilder text = new StringBuilder(startLine).append("\r\n");
        headers.forEach(
                h -> text.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        return text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
