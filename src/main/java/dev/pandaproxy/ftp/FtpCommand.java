package dev.pandaproxy.ftp;

import dev.pandaproxy.net.LogText;
import java.util.Locale;

/**
 * One command line from a client.
 *
 * @param verb     upper-case command ({@code STOR})
 * @param argument what follows the first space, possibly empty
 */
public record FtpCommand(String verb, String argument) {
    /** The command as a line to send on (verb upper-cased, argument unchanged), without CRLF. */
    public String line() {
        return argument.isEmpty() ? verb : verb + " " + argument;
    }

    /** For log lines: never shows a password, and the client's text escaped (see {@link LogText}). */
    @Override
    public String toString() {
        return verb.equals("PASS") ? "PASS ********" : LogText.escape(line());
    }

    static FtpCommand of(String verb, String argument) {
        return new FtpCommand(verb.toUpperCase(Locale.ROOT), argument);
    }
}
