/**
 * The one fan-out mechanism: a producer publishes, every subscriber has a bounded mailbox with an explicit
 * policy ({@link dev.pandaproxy.fanout.Mailbox#latestOnly() latest only} for video,
 * {@link dev.pandaproxy.fanout.Mailbox#bounded(int) bounded, cut off on overflow} for messages), so a slow
 * subscriber never grows memory and never delays the producer or anyone else.
 */
package dev.pandaproxy.fanout;
