package dev.pandaproxy.config;

import java.time.Duration;

/**
 * The HTTP side: health, metrics, status and the camera over HTTP and HTTPS.
 *
 * @param port           plain HTTP port (0 picks a free port): health, metrics, status, the proxy CA
 * @param httpsPort      HTTPS port with the proxy's certificate (0 picks a free port): everything, the camera too
 * @param cameraAuth     require HTTP Basic {@code bblp} + access code for the camera endpoints
 * @param plainCamera    serve the camera endpoints over plain HTTP too (the access code then crosses the network
 *                       readable by anyone on the way)
 * @param maxStreams     concurrent MJPEG viewers
 * @param maxConnections TCP connections per listener
 * @param readTimeout    a connection that sends nothing for this long while a request is due (the first one, the
 *                       rest of a half-sent one, or the next on a kept-alive connection) is closed
 * @param idleTimeout    a connection without a request for this long is closed
 */
public record HttpConfig(int port, int httpsPort, boolean cameraAuth, boolean plainCamera, int maxStreams,
                         int maxConnections, Duration readTimeout, Duration idleTimeout) {
}
