package dev.pandaproxy.ftp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads CRLF-terminated lines (LF alone tolerated) with a length limit, and replies made of them. */
public final class FtpLineReader {
    private final InputStream in;
    private final int maxLineBytes;

    public FtpLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its terminator.
     *
     * @throws EOFException          at the end of the stream
     * @throws FtpProtocolException  when the line is longer than the limit
     */
    public String readLine() throws IOException {
        byte[] line = new byte[Math.min(maxLineBytes, 256)];
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(length == 0 ? "connection closed" : "connection closed inside a line");
            }
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == maxLineBytes) {
                throw new FtpProtocolException("line longer than " + maxLineBytes + " bytes");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
            }
            line[length++] = (byte) b;
        }
    }

    /** A server reply, multi-line ({@code 211-…} … {@code 211 …}) included. */
    public FtpReply readReply() throws IOException {
        String first = readLine();
        int code = code(first);
        List<String> lines = new ArrayList<>();
        lines.add(first.length() > 4 ? first.substring(4) : "");
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = code + " ";
            while (true) {
                String next = readLine();
                if (next.startsWith(end) || next.equals(String.valueOf(code))) {
                    lines.add(next.length() > 4 ? next.substring(4) : "");
                    break;
                }
                lines.add(next);
            }
        }
        return new FtpReply(code, List.copyOf(lines));
    }

    private static int code(String line) throws FtpProtocolException {
        if (line.length() < 3
                || !Character.isDigit(line.charAt(0))
                || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2))
                || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            throw new FtpProtocolException("not an FTP reply: '" + line + "'");
        }
        return Integer.parseInt(line.substring(0, 3));
    }
}
