package dev.pandaproxy.ftp;

import dev.pandaproxy.config.PrinterConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Checks an FTPS server end to end the way a slicer uses it: log in, upload a small file, remove it. */
public final class FtpsProbe {
    private FtpsProbe() {}

    /**
     * Uploads {@code /cache/<name>} to the server {@code target} describes (host, FTP port, access code)
     * and deletes it again; returns what happened, or throws with the step that failed.
     */
    public static String uploadAndRemove(SSLContext context, PrinterConfig target, String name, Duration timeout)
            throws IOException {
        byte[] content =
                ("PandaProxy doctor check " + System.currentTimeMillis() + "\n").getBytes(StandardCharsets.US_ASCII);
        try (PrinterFtp ftp = PrinterFtp.login(context, target, false, timeout)) {
            expect(ftp.send("TYPE I"), 200, "TYPE I");
            if (!ftp.send("CWD /cache").success()) {
                expect(ftp.send("CWD /"), 250, "CWD /");
            }
            Socket data = ftp.openDataConnection();
            FtpReply start = ftp.send("STOR " + name);
            if (!start.preliminary()) {
                data.close();
                throw new IOException("STOR answered " + start.code() + " " + start.text());
            }
            try (PrinterFtp.DataStream stream = ftp.secure(data)) {
                OutputStream out = stream.output();
                out.write(content);
                stream.finish();
            }
            expect(ftp.readReply(), 226, "the upload");
            FtpReply size = ftp.send("SIZE " + name);
            expect(size, 213, "SIZE");
            if (Long.parseLong(size.text().strip()) != content.length) {
                throw new IOException("the server stored " + size.text().strip() + " of " + content.length + " bytes");
            }
            expect(ftp.send("DELE " + name), 250, "DELE");
            return "uploaded, sized and removed a " + content.length + "-byte file";
        }
    }

    private static void expect(FtpReply reply, int code, String step) throws IOException {
        if (reply.code() != code) {
            throw new IOException(step + " answered " + reply.code() + " " + reply.text());
        }
    }
}
