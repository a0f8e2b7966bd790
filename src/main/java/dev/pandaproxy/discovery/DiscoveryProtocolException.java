package dev.pandaproxy.discovery;

import java.io.IOException;

/** A datagram or frame that is not what slicers and printers exchange. */
public final class DiscoveryProtocolException extends IOException {
    public DiscoveryProtocolException(String message) {
        super(message);
    }
}
