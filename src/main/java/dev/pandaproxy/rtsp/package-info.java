/**
 * The printer's camera kind (chamber JPEG stream on 6000, or RTSPS on 322), found by probing, and the RTSPS camera:
 * ffmpeg pulls the printer's stream once, MediaMTX serves it to any number of clients.
 *
 * <p>Every connection of {@link dev.pandaproxy.rtsp.RtspCamera} goes through the shared
 * {@link dev.pandaproxy.net.Listener} and {@link dev.pandaproxy.net.Relay}. Clients' RTSPS connections to the proxy's
 * RTSP port are relayed as raw TCP to MediaMTX on loopback, which terminates their TLS with the proxy's certificate and
 * checks the printer's credentials; the proxy keeps the privileged port and the {@code camera.max-clients} cap. ffmpeg
 * reads plain RTSP from a loopback relay that adds the access code and carries the stream over the proxy's own TLS
 * connection to the printer (so the printer trust applies), and publishes through a second loopback relay that adds the
 * publisher password ({@link dev.pandaproxy.rtsp.RtspAuthorization}): no secret is on ffmpeg's command line. Both
 * relays serve only the ffmpeg the proxy started ({@link dev.pandaproxy.net.LoopbackPeer}, where {@code /proc} can
 * tell). ffmpeg, and MediaMTX unless it runs beside the proxy ({@code camera.mediamtx: external}, the operator's
 * sidecar), are {@link dev.pandaproxy.rtsp.Supervised} children, restarted with the shared backoff whenever they exit;
 * ffmpeg runs as long as the service does, not on demand. These printers' port 6000 (the slicer's file browser) is
 * relayed as raw TCP, one printer connection per client, opened only once the client spoke.
 */
package dev.pandaproxy.rtsp;
