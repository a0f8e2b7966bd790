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
 * @param idleTimeout    a connection that has not sent a request line for this long (a new one that sends nothing, a
 *                       half-sent line, or a kept-alive connection between requests) is closed
 */
public record HttpConfig(
        int port,
        int httpsPort,
        boolean cameraAuth,
        boolean plainCamera,
        int maxStreams,
        int maxConnections,
        Duration idleTimeout) {

    /** {@code http.*}, and the HTTP ports {@code proxy.ports.http} and {@code .https}. */
    static HttpConfig from(ConfigReader r) {
        return new HttpConfig(
                r.port("proxy.ports.http", ServicePorts.HTTP, true),
                r.port("proxy.ports.https", ServicePorts.HTTPS, true),
                r.bool("http.camera-auth", true),
                r.bool("http.plain-camera", false),
                r.positive("http.max-streams", 32),
                r.positive("http.max-connections", 128),
                r.duration("http.idle-timeout", Duration.ofSeconds(20)));
    }
}
