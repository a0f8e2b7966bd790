package dev.pandaproxy.rtsp;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.net.Relay;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Adds credentials to an RTSP client's requests on their way to the server, so that ffmpeg never holds them: no
 * secret on its command line, where {@code ps} (and, in Kubernetes, the pod's spec) would show it. ffmpeg talks
 * to loopback relays of the proxy without a user name; the relay puts {@code Authorization: Basic} (preemptive,
 * which the printers and MediaMTX both accept) into every request it passes on, in place of any the client sent.
 * Interleaved RTP/RTCP frames ({@code $}, channel, length, payload) and request bodies pass unchanged.
 */
public final class RtspAuthorization {
    /** A request header longer than this is refused: RTSP clients send a few hundred bytes. */
    static final int MAX_HEADER = 16 * 1024;

    private static final int BUFFER = 16 * 1024;

    private RtspAuthorization() {}

    /** The relay pump that adds Basic credentials of {@code user}/{@code password} to each request. */
    public static Relay.Pump basic(String user, Secret password) {
        String credentials = "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password.revealText()).getBytes(StandardCharsets.UTF_8));
        return (in, out, counter) -> {
            BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER);
            pump(new BufferedInputStream(in, BUFFER), buffered, credentials, counter);
            buffered.flush();
        };
    }

    /** The request header (up to and including the blank line) with {@code authorization} as its only Authorization. */
    static String withAuthorization(String header, String authorization) {
        StringBuilder result = new StringBuilder(header.length() + authorization.length() + 20);
        String[] lines = header.split("\r\n", -1);
        // lines: request line, fields…, "", "" (the header ends with an empty line)
        result.append(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            if (!line.toLowerCase(Locale.ROOT).startsWith("authorization:")) {
                result.append(line).append("\r\n");
            }
        }
        return result.append("Authorization: ")
                .append(authorization)
                .append("\r\n\r\n")
                .toString();
    }

    /** The value of {@code Content-Length} in a header, 0 without one. */
    static long contentLength(String header) throws IOException {
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
                try {
                    long length = Long.parseLong(line.substring(colon + 1).strip());
                    if (length < 0) {
                        throw new IOException("negative Content-Length in an RTSP request");
                    }
                    return length;
                } catch (NumberFormatException e) {
                    throw new IOException("unreadable Content-Length in an RTSP request");
                }
            }
        }
        return 0;
    }

    private static void pump(InputStream in, OutputStream out, String authorization, AtomicLong counter)
            throws IOException {
        for (int first = in.read(); first >= 0; first = in.read()) {
            if (first == '$') {
                byte[] frameHeader = in.readNBytes(3);
                if (frameHeader.length < 3) {
                    return;
                }
                out.write('$');
                out.write(frameHeader);
                int length = (frameHeader[1] & 0xff) << 8 | frameHeader[2] & 0xff;
                copy(in, out, length, counter);
                counter.addAndGet(4);
            } else {
                String header = readHeader(in, first);
                counter.addAndGet(header.length());
                out.write(withAuthorization(header, authorization).getBytes(StandardCharsets.ISO_8859_1));
                copy(in, out, contentLength(header), counter);
            }
            if (in.available() == 0) {
                out.flush(); // nothing more is waiting: send what we have before blocking on the next read
            }
        }
    }

    /** A request header, from its first byte to the blank line that ends it. */
    private static String readHeader(InputStream in, int first) throws IOException {
        StringBuilder header = new StringBuilder().append((char) first);
        while (!(header.length() >= 4
                && header.charAt(header.length() - 1) == '\n'
                && header.charAt(header.length() - 2) == '\r'
                && header.charAt(header.length() - 3) == '\n'
                && header.charAt(header.length() - 4) == '\r')) {
            if (header.length() >= MAX_HEADER) {
                throw new IOException("RTSP request header longer than " + MAX_HEADER + " bytes");
            }
            int next = in.read();
            if (next < 0) {
                throw new IOException("the RTSP client closed the connection inside a request header");
            }
            header.append((char) next);
        }
        return header.toString();
    }

    private static void copy(InputStream in, OutputStream out, long length, AtomicLong counter) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
        for (long left = length; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the RTSP client closed the connection inside a message");
            }
            out.write(buffer, 0, n);
            counter.addAndGet(n);
            left -= n;
        }
    }
}
