package dev.pandaproxy.ftp;

import java.io.IOException;

/** Bytes that are not FTP: an over-long line, a reply without a code. */
public class FtpProtocolException extends IOException {
    public FtpProtocolException(String message) {
        super(message);
    }
}
