/**
 * The one fan-out mechanism: a producer publishes, every subscriber has a bounded mailbox with an explicit policy
 * ({@link dev.pandaproxy.fanout.Mailbox#latestOnly() latest only} for video,
 * {@link dev.pandaproxy.fanout.Mailbox#bounded(int) bounded, cut off on overflow} for messages), so a slow subscriber
 * never grows memory and never delays the producer or anyone else.
 *
 * <h2>Delivery</h2>
 *
 * <p>{@link dev.pandaproxy.fanout.FanOut#publish} runs on the producer's thread and hands the item to every
 * {@link dev.pandaproxy.fanout.Subscription} whose filter wants it. It never blocks: an offer takes the mailbox's lock
 * for one queue operation and never waits for room. Each subscriber takes its items on its own thread with
 * {@link dev.pandaproxy.fanout.Subscription#next()}. Items are shared, not copied (MQTT encodes a QoS 0 packet once for
 * every client), so they must not be mutated. The two policies:
 *
 * <ul>
 *   <li>{@link dev.pandaproxy.fanout.Mailbox#latestOnly()}: one slot; a newer item replaces an unread one, which counts
 *       as skipped. Every camera viewer (chamber protocol and HTTP) has one: a slow viewer sees fewer frames, and its
 *       mailbox holds one unread frame at most.
 *   <li>{@link dev.pandaproxy.fanout.Mailbox#bounded(int)}: a queue of at most that many items, in order. Skipping
 *       messages would lose state changes without a trace, so an offer to a full mailbox is refused, the subscription
 *       closed, and its overflow action run, on the producer's thread (so it must be quick: MQTT aborts the client's
 *       socket, which also frees the client's writer if it is blocked on that socket). The client is cut off; nobody
 *       else waits.
 * </ul>
 *
 * <p>{@link dev.pandaproxy.fanout.Subscription#send} queues an item for one subscriber alone (a reply to something it
 * sent) under the same policy, so the replies a client gets and the messages it receives leave in one order, through
 * one mailbox and one writer, and count against one bound.
 *
 * <h2>Demand</h2>
 *
 * <p>The fan-out also tells the producer whether anyone listens:
 * {@link dev.pandaproxy.fanout.FanOut#awaitSubscribers()} and
 * {@link dev.pandaproxy.fanout.FanOut#awaitNoSubscribersFor(java.time.Duration)}. That is how the chamber camera holds
 * the printer's single camera connection only while someone watches, plus {@code camera.linger} after the last viewer
 * left (a viewer that comes straight back finds it still up), as its {@link dev.pandaproxy.net.UpstreamLoop.Demand}.
 *
 * <h2>Ending</h2>
 *
 * <p>A subscription ends when its subscriber closes it, on overflow, or at shutdown
 * ({@link dev.pandaproxy.fanout.FanOut#closeAll()}); it leaves the fan-out at once, and its reader gets the items still
 * queued, then {@code null}. Waits use {@code ReentrantLock} conditions rather than {@code synchronized}, so a waiting
 * virtual thread does not pin its carrier, and an untimed {@code next()} waits without a timer, which would cost every
 * wake-up a timer task.
 */
package dev.pandaproxy.fanout;
