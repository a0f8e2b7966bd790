package dev.pandaproxy.mqtt;

import java.time.Instant;

/**
 * A client's command on its way to the printer: forwarded byte for byte (newer firmware checks signed
 * payloads), then acknowledged to the client; or dropped, and the client told the only way MQTT allows.
 *
 * @param payload  the payload exactly as the client sent it
 * @param deadline when a request held while the printer is unreachable expires
 * @param outcome  what to tell the client
 */
record Request(byte[] payload, Instant deadline, Outcome outcome) {
    /** Reports a request's fate to the client that sent it. */
    interface Outcome {
        /**
         * Taken into the printer session's outbox, which its one writer empties in order: acknowledge (QoS 1/2). The
         * printer itself acknowledges nothing (the proxy talks QoS 0 to it), so this is as far as delivery can be
         * confirmed.
         */
        void forwarded();

        /** Not delivered; {@code reason} is for the log. */
        void dropped(String reason);
    }
}
