package dev.pandaproxy.ftp;

import java.util.List;

/**
 * A server reply: a three-digit code and its lines (a multi-line reply keeps all of them).
 *
 * @param code  reply code
 * @param lines the text of each line: the first and last without their code and separator, the middle
 *              lines of a multi-line reply exactly as sent
 */
public record FtpReply(int code, List<String> lines) {
    public FtpReply(int code, String text) {
        this(code, List.of(text));
    }

    /** 1xx: the command started and another reply will follow. */
    public boolean preliminary() {
        return code >= 100 && code < 200;
    }

    /** 2xx. */
    public boolean success() {
        return code >= 200 && code < 300;
    }

    /** The last line's text. */
    public String text() {
        return lines.getLast();
    }
}
