package dev.pandaproxy.ftp;

import dev.pandaproxy.net.LogText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FTP command lines and replies, as pure functions over text (RFC 959, RFC 2428 for EPSV). */
public final class FtpCodec {
    private static final Pattern VERB = Pattern.compile("[A-Za-z]{3,4}");
    private static final Pattern PASV =
            Pattern.compile("(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");
    private static final Pattern EPSV = Pattern.compile("\\((.)\\1\\1(\\d{1,5})\\1\\)");

    private FtpCodec() {}

    /**
     * Parses a command line (without CRLF). An argument with a control character is refused: a bare CR
     * passed on would end the line early at the printer, and the rest would run as a command of its own.
     */
    public static FtpCommand parseCommand(String line) throws FtpProtocolException {
        int space = line.indexOf(' ');
        String verb = space < 0 ? line : line.substring(0, space);
        if (!VERB.matcher(verb).matches()) {
            throw new FtpProtocolException("not an FTP command: '" + LogText.escape(verb) + "'");
        }
        String argument = space < 0 ? "" : line.substring(space + 1);
        if (argument.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
            throw new FtpArgumentException("control character in the argument of " + verb);
        }
        return FtpCommand.of(verb, argument);
    }

    /** A command whose verb is fine but whose argument is not ({@code 501}). */
    public static final class FtpArgumentException extends FtpProtocolException {
        FtpArgumentException(String message) {
            super(message);
        }
    }

    /**
     * The wire text of a reply: {@code 226 text}, or {@code 211-first}, the middle lines as they are
     * (FEAT lists start with a space), and {@code 211 last}.
     */
    public static byte[] format(FtpReply reply) {
        StringBuilder text = new StringBuilder();
        List<String> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (i == lines.size() - 1) {
                text.append(reply.code()).append(' ');
            } else if (i == 0) {
                text.append(reply.code()).append('-');
            }
            text.append(lines.get(i)).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The data address in a {@code 227} reply. Printers often announce 0.0.0.0, so the host is always the
     * control connection's peer; only the port is taken from the reply.
     */
    public static InetSocketAddress passiveAddress(FtpReply reply, InetAddress controlPeer)
            throws FtpProtocolException {
        Matcher m = PASV.matcher(reply.text());
        if (reply.code() != 227 || !m.find()) {
            throw new FtpProtocolException("unexpected PASV reply: " + reply.code() + " " + reply.text());
        }
        int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        return new InetSocketAddress(controlPeer, checkPort(port));
    }

    /** The data address in a {@code 229} reply: the control peer and the announced port. */
    public static InetSocketAddress extendedPassiveAddress(FtpReply reply, InetAddress controlPeer)
            throws FtpProtocolException {
        Matcher m = EPSV.matcher(reply.text());
        if (reply.code() != 229 || !m.find()) {
            throw new FtpProtocolException("unexpected EPSV reply: " + reply.code() + " " + reply.text());
        }
        return new InetSocketAddress(controlPeer, checkPort(Integer.parseInt(m.group(2))));
    }

    /** A {@code 227} reply announcing {@code address} (IPv4). */
    public static FtpReply passiveReply(InetAddress address, int port) {
        byte[] ip = address.getAddress();
        return new FtpReply(
                227,
                String.format(
                        "Entering Passive Mode (%d,%d,%d,%d,%d,%d).",
                        ip[0] & 0xFF, ip[1] & 0xFF, ip[2] & 0xFF, ip[3] & 0xFF, port >> 8, port & 0xFF));
    }

    /** A {@code 229} reply announcing {@code port}. */
    public static FtpReply extendedPassiveReply(int port) {
        return new FtpReply(229, "Entering Extended Passive Mode (|||" + port + "|)");
    }

    private static int checkPort(int port) throws FtpProtocolException {
        if (port < 1 || port > 65_535) {
            throw new FtpProtocolException("passive port " + port + " out of range");
        }
        return port;
    }
}
