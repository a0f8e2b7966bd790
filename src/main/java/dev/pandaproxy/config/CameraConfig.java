package dev.pandaproxy.config;

import java.time.Duration;

/**
 * The chamber camera (port 6000) service.
 *
 * @param onDemand        hold the printer connection only while a viewer is attached
 * @param linger          how long to keep it after the last viewer left
 * @param maxClients      concurrent viewers over TLS; further connections are closed at once
 * @param authTimeout     time a client has for the TLS handshake and its 80-byte login
 * @param maxFrameBytes   larger frames from the printer count as a protocol error
 * @param readTimeout     no frame from the printer for this long: reconnect
 * @param writeTimeout    a client that accepts no bytes for this long is disconnected
 * @param snapshotTimeout how long an HTTP snapshot waits for a frame
 */
public record CameraConfig(boolean onDemand,
                           Duration linger,
                           int maxClients,
                           Duration authTimeout,
                           int maxFrameBytes,
                           Duration readTimeout,
                           Duration writeTimeout,
                           Duration snapshotTimeout) {
}
