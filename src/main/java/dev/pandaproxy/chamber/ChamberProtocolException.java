package dev.pandaproxy.chamber;

import java.io.IOException;

/** Bytes that break the chamber protocol (bad login packet, impossible frame header, not a JPEG). */
public final class ChamberProtocolException extends IOException {
    public ChamberProtocolException(String message) {
        super(message);
    }
}
