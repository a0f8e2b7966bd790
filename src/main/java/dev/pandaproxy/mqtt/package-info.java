/**
 * MQTT (port 8883): one printer session, a small broker for any number of clients with the printer's credentials and
 * topics, the merged report state and {@code pushall} answered from it.
 *
 * <h2>The printer session</h2>
 *
 * <p>{@link dev.pandaproxy.mqtt.MqttService} puts a {@link dev.pandaproxy.mqtt.MqttBroker} for the clients in front of
 * a {@link dev.pandaproxy.mqtt.MqttUpstream} for the printer. The upstream's {@link dev.pandaproxy.net.UpstreamLoop}
 * always wants the printer (the state must stay current even with no client), and logs in as {@code bblp} with a client
 * id made once per printer and kept in the state directory: after a restart the printer's old session is taken over
 * instead of filling one of its few slots. A {@link dev.pandaproxy.mqtt.PrinterSession} subscribes to the report topic
 * and publishes requests at QoS 0, so it never waits for the printer's acknowledgements (printers have been seen to
 * wedge clients that do). Its threads: the upstream thread reads and dispatches; one writer sends every packet from a
 * bounded outbox ({@code mqtt.request-queue} + 4), each write under a deadline of {@code mqtt.keep-alive}, so a printer
 * that stops reading blocks only that writer; a pinger queues {@code PINGREQ} when nothing was written for half the
 * keep-alive; a silence watch asks the printer to resume pushing after {@code mqtt.silence-timeout} without a message
 * and reconnects after as long again (some firmware stops publishing on a live TCP session). After every connect the
 * proxy sends a {@code pushall}, then {@code get_version} unless the versions are known, then the held requests.
 *
 * <h2>The merged state</h2>
 *
 * <p>P1/A1 printers send small deltas and a full report only when asked, so {@link dev.pandaproxy.mqtt.ReportState}
 * keeps the merged state, for the whole life of the service (reconnects included). Merged: the {@code print} object of
 * every report (objects recursively, scalars and other arrays replaced, absent keys kept; {@code ams.ams[]} and each
 * unit's {@code tray[]} element by element, matched by {@code id}) and the {@code info} of a {@code get_version} reply
 * ({@code module[]} matched by {@code name}). The state is complete once the printer's answer to a {@code pushall} of
 * the proxy's own (recognised by its sequence id) was merged. With {@code mqtt.rewrite-printer-ip}, a report whose
 * {@code print.net.info[].ip} is set is re-encoded with the proxy's IPv4 address (when it has one) before it is merged
 * and passed on (slicers upload over FTP to that address); every other payload reaches the clients byte for byte.
 *
 * <p>A client that subscribes to a filter matching the report topic gets, with {@code mqtt.full-state-on-subscribe} and
 * once the state is complete, its {@code SUBACK} and then a full report made from the state ({@code push_status},
 * sequence id {@code "0"}), to itself alone; deltas follow. A client's {@code pushall} never reaches the printer: it is
 * answered from the state with the client's sequence id, published on the report topic to <em>every</em> report
 * subscriber as the printer's answer would be (a tool may ask on one connection and listen on another), and it makes
 * the proxy send the printer a {@code pushall} of its own if none went out within {@code mqtt.pushall-interval}. Before
 * the state is complete there is no local answer; the full report that the proxy's {@code pushall} after its connect
 * brings reaches every report subscriber anyway. {@code get_version} is answered the same way from the cached reply,
 * and forwarded to the printer while none is cached.
 *
 * <h2>Ordering</h2>
 *
 * <ul>
 *   <li>Per client: everything a client receives (replies and messages) goes through one bounded mailbox and one writer
 *       ({@link dev.pandaproxy.mqtt.ClientConnection}), so it leaves in the order it was queued; the printer's messages
 *       are published by the one thread that reads them, in the printer's order. A QoS 1 delivery waits for room among
 *       64 unacknowledged ones, holding what queued behind it.
 *   <li>State and deltas: merging a report and fanning it out is one step under
 *       {@link dev.pandaproxy.mqtt.ReportState#exclusive}, and so is taking a subscription together with its snapshot.
 *       A report is therefore either in a new subscriber's snapshot or delivered after it: never both, never lost.
 *       Local answers to {@code pushall} and {@code get_version} are made and published under the same step.
 *   <li>Requests to the printer: a client's request is queued under one lock into the session's outbox and written by
 *       its one writer, so requests reach the printer in the order the proxy took them. The client is acknowledged
 *       ({@code PUBACK}, or {@code PUBREC} for QoS 2) once its request is queued there. While the printer is away, or
 *       its outbox is full, up to {@code mqtt.request-queue} requests wait, each at most {@code mqtt.request-ttl}, and
 *       go out in order after the next connect's {@code pushall} and {@code get_version}; a later request may overtake
 *       one held for a full outbox if the printer resumes reading before its session is cut. A request dropped (the
 *       queue full, its TTL passed, shutdown) is logged, and a QoS 1 or 2 sender is disconnected without an
 *       acknowledgement: MQTT 3.1.1 has no negative one, so that is the only way to tell it.
 * </ul>
 *
 * <h2>Backpressure and limits</h2>
 *
 * <p>A client that falls {@code mqtt.client-queue} messages behind is disconnected at once (its socket aborted, which
 * also frees a writer blocked on it); one that accepts no data, or acknowledges no QoS 1 message, for
 * {@code mqtt.write-timeout} is disconnected too. Nobody else waits for it, nor does the printer session. Before login
 * a client has {@code mqtt.connect-timeout} for TLS and {@code CONNECT}, whose size is capped by
 * {@code mqtt.max-connect-size}; after it, packets by {@code mqtt.max-packet-size}, filters by
 * {@code mqtt.max-subscriptions}, granted QoS at 1.
 *
 * <h2>Users and roles</h2>
 *
 * <p>{@code bblp} with the access code has the {@code control} role; {@code mqtt.users} adds users with
 * {@code read-only} or {@code control}. The access code and every configured password are compared, in constant time,
 * whoever logs in, and every login goes through the failed-login throttle shared with the other services. Both roles
 * may subscribe to any filter. Only {@code control} may publish, and only to {@code device/<serial>/request}, which
 * goes to the printer; any other publish is refused (logged, counted, and acknowledged). Clients never receive each
 * other's messages, except a will: published to the other clients when a {@code control} client vanishes without
 * {@code DISCONNECT}, never on a {@code device/} topic. A new connection takes a client id over from the older one, as
 * MQTT says, unless a {@code read-only} user would take over another user's connection.
 */
package dev.pandaproxy.mqtt;
