package dev.pandaproxy.config;

/**
 * The HTTP side: health, metrics, status and the camera over HTTP.
 *
 * @param port       listening port (0 picks a free port)
 * @param cameraAuth require HTTP Basic {@code bblp} + access code for the camera endpoints
 * @param maxStreams concurrent MJPEG viewers
 */
public record HttpConfig(int port, boolean cameraAuth, int maxStreams) {
}
