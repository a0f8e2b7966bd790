/**
 * The chamber camera of A1/P1 printers (port 6000): a TLS stream of 16-byte headers and JPEG images after an 80-byte
 * login. One printer connection, any number of viewers.
 *
 * <p>{@link dev.pandaproxy.chamber.ChamberCamera} reads the printer's frames through a
 * {@link dev.pandaproxy.chamber.ChamberClient} on its {@link dev.pandaproxy.net.UpstreamLoop}'s thread and publishes
 * each to a {@link dev.pandaproxy.fanout.FanOut}. Every viewer, whether it speaks this protocol on the proxy's port or
 * uses the HTTP snapshot and MJPEG endpoints ({@link dev.pandaproxy.chamber.FrameFeed}), has a latest-only mailbox: a
 * slow viewer skips frames and delays nobody. With {@code camera.on-demand} (the default) the printer connection is
 * held only while a viewer is subscribed, and for {@code camera.linger} after the last one left, so the printer's one
 * camera slot is left to others once nobody watches through the proxy. A printer that sends no frame for
 * {@code camera.read-timeout} is reconnected after a backoff. Viewers log in the printer's way: TLS and the 80-byte
 * login within {@code camera.auth-timeout}, the access code compared in constant time, a wrong one answered with a
 * silent close. Each viewer's frames are written on its connection's thread, each frame under a
 * {@code camera.write-timeout} deadline and its header in a TLS record of its own (strict clients read a header as one
 * 16-byte record); a second thread reads until the viewer closes, because viewers send nothing after the login and
 * their EOF is how a departure is noticed while no frames flow.
 */
package dev.pandaproxy.chamber;
