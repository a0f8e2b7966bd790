package dev.pandaproxy.mqtt;

import dev.pandaproxy.config.MqttConfig;
import dev.pandaproxy.config.MqttConfig.Role;
import dev.pandaproxy.fanout.Mailbox;
import dev.pandaproxy.fanout.Subscription;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.Disconnect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.PingResp;
import dev.pandaproxy.mqtt.MqttPacket.PubAck;
import dev.pandaproxy.mqtt.MqttPacket.PubComp;
import dev.pandaproxy.mqtt.MqttPacket.PubRec;
import dev.pandaproxy.mqtt.MqttPacket.PubRel;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.SubAck;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.mqtt.MqttPacket.UnsubAck;
import dev.pandaproxy.mqtt.MqttPacket.Unsubscribe;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.LogText;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import io.helidon.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * One MQTT client of the proxy's broker. This thread reads and handles packets; a second one writes
 * everything the client receives, in order, from a bounded outbox (a client that falls too far behind
 * is disconnected, nobody else waits for it).
 */
final class ClientConnection {
    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    private static final String SERVICE = "mqtt";
    /** QoS 1 messages sent and not yet acknowledged by the client. */
    private static final int MAX_IN_FLIGHT = 64;

    private final MqttBroker broker;
    private final MqttConfig config;
    private final SSLSocket socket;
    private final String peer;
    private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Semaphore inFlightRoom = new Semaphore(MAX_IN_FLIGHT);
    private Subscription<Outbound> outbox;
    private Role role;
    private String clientId = "";
    private String loggedId = "";
    private String username = "";
    private Optional<MqttPacket.Will> will = Optional.empty();
    private int nextPacketId;
    private volatile String endReason;

    ClientConnection(MqttBroker broker, MqttConfig config, SSLSocket socket) {
        this.broker = broker;
        this.config = config;
        this.socket = socket;
        this.peer = Peers.describe(socket);
    }

    void run() throws IOException {
        MqttPacketReader reader =
                new MqttPacketReader(new BufferedInputStream(socket.getInputStream(), 8192), config.maxPacketBytes());
        Connect connect = readConnect(reader);
        if (connect == null) {
            return;
        }
        if (!broker.register(clientId, this)) {
            write(MqttCodec.encode(new ConnAck(false, ConnAck.IDENTIFIER_REJECTED)));
            LOG.log(
                    Level.WARNING,
                    "{0}: {1} refused: client id {2} is in use by another user, and a read-only user "
                            + "cannot take it over",
                    SERVICE,
                    peer,
                    loggedId);
            return;
        }
        outbox = broker.messages().subscribe(Mailbox.bounded(config.clientQueue()), this::wants, () -> {
            // the writer may be blocked on this client's socket: cut it off now, not after the write timeout
            endReason = "fell behind by " + config.clientQueue() + " messages (mqtt.client-queue)";
            Sockets.abort(socket);
        });
        Thread writer =
                Thread.ofVirtual().name(SERVICE + "-" + peer + "-writer").start(this::writeLoop);
        send(new ConnAck(false, ConnAck.ACCEPTED));
        int clients = broker.stats().clientConnected(peer, Optional.of(loggedId));
        LOG.log(
                Level.INFO,
                "{0}: {1} connected as {2} ({3}, {4} clients)",
                SERVICE,
                peer,
                loggedId,
                role == Role.CONTROL ? "control" : "read-only",
                clients);
        try {
            if (connect.keepAliveSeconds() > 0) {
                socket.setSoTimeout(connect.keepAliveSeconds() * 1500);
            }
            readLoop(reader);
        } catch (SocketTimeoutException e) {
            endReason = "silent for 1.5 x its keep-alive of " + connect.keepAliveSeconds() + " s";
        } catch (MqttProtocolException e) {
            endReason = "protocol error: " + e.getMessage();
        } catch (IOException e) {
            if (endReason == null) {
                endReason = e instanceof EOFException ? "closed the connection" : e.getMessage();
            }
        } finally {
            outbox.close();
            writer.interrupt();
            broker.unregister(clientId, this);
            will.ifPresent(w -> broker.publishWill(w, peer));
            int left = broker.stats().clientDisconnected(peer);
            LOG.log(
                    Level.INFO,
                    "{0}: {1} ({2}) disconnected: {3} ({4} clients)",
                    SERVICE,
                    peer,
                    loggedId,
                    endReason == null ? "closed the connection" : endReason,
                    left);
        }
    }

    Role role() {
        return role;
    }

    String username() {
        return username;
    }

    /** Another connection took this client id over (MQTT says the older one goes). */
    void takenOver() {
        endReason = "taken over by a new connection with the same client id";
        Sockets.abort(socket);
    }

    /** Shutdown. */
    void close() {
        endReason = "the proxy is shutting down";
        will = Optional.empty();
        Sockets.abort(socket);
    }

    private Connect readConnect(MqttPacketReader reader) throws IOException {
        MqttPacket first;
        try (Deadline deadline = Deadline.abortAfter(config.connectTimeout(), socket)) {
            socket.startHandshake();
            first = reader.read(config.maxConnectBytes());
        } catch (MqttCodec.UnsupportedProtocolException e) {
            write(MqttCodec.encode(new ConnAck(false, ConnAck.UNACCEPTABLE_PROTOCOL_VERSION)));
            LOG.log(Level.INFO, "{0}: {1} refused: {2}", SERVICE, peer, e.getMessage());
            return null;
        } catch (MqttProtocolException e) {
            LOG.log(
                    Level.INFO,
                    "{0}: {1} refused before CONNECT: {2} (mqtt.max-connect-size {3} bytes)",
                    SERVICE,
                    peer,
                    e.getMessage(),
                    config.maxConnectBytes());
            return null;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: {1} failed before CONNECT: {2}", SERVICE, peer, e.getMessage());
            return null;
        }
        if (!(first instanceof Connect connect)) {
            LOG.log(Level.INFO, "{0}: {1} refused: the first packet was not CONNECT", SERVICE, peer);
            return null;
        }
        String user = LogText.escape(connect.username().orElse("none"));
        switch (broker.login(socket.getInetAddress(), connect)) {
            case MqttBroker.Login.Granted granted -> role = granted.role();
            case MqttBroker.Login.Refused refused -> {
                write(MqttCodec.encode(new ConnAck(false, refused.returnCode())));
                LOG.log(
                        refused.returnCode() == ConnAck.NOT_AUTHORIZED ? Level.WARNING : Level.DEBUG,
                        "{0}: {1} refused: {2} (user {3})",
                        SERVICE,
                        peer,
                        refused.reason(),
                        user);
                return null;
            }
        }
        if (connect.clientId().isEmpty() && !connect.cleanSession()) {
            write(MqttCodec.encode(new ConnAck(false, ConnAck.IDENTIFIER_REJECTED)));
            return null;
        }
        username = connect.username().orElse("");
        clientId = connect.clientId().isEmpty() ? "auto-" + UUID.randomUUID() : connect.clientId();
        loggedId = LogText.escape(clientId);
        will = connect.will();
        if (will.isPresent() && role != Role.CONTROL) {
            // a read-only user only listens: its will would be a message to the others
            LOG.log(
                    Level.INFO,
                    "{0}: {1} ({2}): will on {3} discarded: user {4} is read-only",
                    SERVICE,
                    peer,
                    loggedId,
                    LogText.escape(will.get().topic()),
                    user);
            will = Optional.empty();
        }
        return connect;
    }

    private void readLoop(MqttPacketReader reader) throws IOException {
        while (true) {
            switch (reader.read()) {
                case Subscribe s -> subscribe(s);
                case Unsubscribe u -> {
                    u.filters().forEach(subscriptions::remove);
                    send(new UnsubAck(u.packetId()));
                }
                case Publish p -> publish(p);
                case PubAck a -> {
                    if (inFlight.remove(a.packetId()) != null) {
                        inFlightRoom.release();
                    }
                }
                case PubRel r -> send(new PubComp(r.packetId()));
                case PingReq p -> send(new PingResp());
                case Disconnect d -> {
                    will = Optional.empty(); // a clean goodbye: the will is discarded
                    endReason = "said goodbye";
                    return;
                }
                case MqttPacket other ->
                    throw new MqttProtocolException(
                            "unexpected " + other.getClass().getSimpleName() + " from a client");
            }
        }
    }

    private void subscribe(Subscribe request) {
        // no report slips between the subscription and its snapshot (see ReportState.exclusive)
        broker.state().exclusive(() -> subscribeNow(request));
    }

    private void subscribeNow(Subscribe request) {
        List<Integer> granted = new ArrayList<>();
        boolean wantsReports = false;
        for (TopicRequest topic : request.topics()) {
            if (!subscriptions.containsKey(topic.filter()) && subscriptions.size() >= config.maxSubscriptions()) {
                granted.add(SubAck.FAILURE);
                LOG.log(
                        Level.INFO,
                        "{0}: {1} ({2}): subscription to {3} refused: {4} already (mqtt.max-subscriptions)",
                        SERVICE,
                        peer,
                        loggedId,
                        LogText.escape(topic.filter()),
                        config.maxSubscriptions());
                continue;
            }
            int qos = Math.min(topic.qos(), 1);
            subscriptions.put(topic.filter(), qos);
            granted.add(qos);
            wantsReports |= TopicFilter.matches(topic.filter(), broker.reportTopic());
        }
        send(new SubAck(request.packetId(), granted));
        if (wantsReports && config.fullStateOnSubscribe()) {
            broker.state()
                    .fullReport("0")
                    .ifPresent(report -> outbox.send(Outbound.Message.of(broker.reportTopic(), report)));
        }
    }

    private void publish(Publish message) {
        if (!message.topic().equals(broker.requestTopic()) || role != Role.CONTROL) {
            broker.stats().refused();
            LOG.log(
                    Level.WARNING,
                    "{0}: {1} ({2}): message to {3} not forwarded: {4}",
                    SERVICE,
                    peer,
                    loggedId,
                    LogText.escape(message.topic()),
                    role != Role.CONTROL
                            ? "this user is read-only"
                            : "only " + broker.requestTopic() + " goes to the printer");
            acknowledge(message);
            return;
        }
        Optional<JsonObject> json = Json.parseObject(message.payload());
        if (json.isPresent() && answeredLocally(json.get())) {
            acknowledge(message);
            return;
        }
        broker.upstream()
                .forward(new Request(message.payload(), Instant.now().plus(config.requestTtl()), new Request.Outcome() {
                    @Override
                    public void forwarded() {
                        acknowledge(message);
                    }

                    @Override
                    public void dropped(String reason) {
                        LOG.log(
                                Level.WARNING,
                                "{0}: {1} ({2}): request not delivered: {3}",
                                SERVICE,
                                peer,
                                loggedId,
                                reason);
                        if (message.qos() > 0) {
                            // MQTT 3.1.1 has no negative acknowledgement: closing without one tells the client
                            // it was not delivered (it resends on reconnect)
                            endReason = "request not delivered, connection closed without acknowledging it: " + reason;
                            Sockets.abort(socket);
                        }
                    }
                }));
    }

    /**
     * Answers {@code pushall} and {@code get_version} from the proxy's state when it can, sparing the
     * printer (which asks clients not to pushall often). A client's {@code pushall} never reaches the
     * printer: it is answered from the state, or, before the state is complete, by the full report that
     * the proxy's own {@code pushall} (sent after every connect, then at most once per interval) brings.
     * Either answer goes where the printer's would: to every client subscribed to the report topic, so
     * a tool that asks from one connection and listens on another gets it.
     */
    private boolean answeredLocally(JsonObject request) {
        if ("pushall".equals(Json.asText(Json.at(request, "pushing", "command")))) {
            broker.upstream().pushallIfDue();
            String sequenceId = sequenceId(request, "pushing");
            broker.publishReport(state -> state.fullReport(sequenceId));
            return true;
        }
        if ("get_version".equals(Json.asText(Json.at(request, "info", "command")))) {
            String sequenceId = sequenceId(request, "info");
            return broker.publishReport(state -> state.versionReport(sequenceId));
        }
        return false;
    }

    /** The request's {@code sequence_id} as text, {@code 0} when it has none. */
    private static String sequenceId(JsonObject request, String category) {
        return Json.asText(Json.at(request, category, "sequence_id"), "0");
    }

    private void acknowledge(Publish message) {
        switch (message.qos()) {
            case 1 -> send(new PubAck(message.packetId()));
            case 2 -> send(new PubRec(message.packetId()));
            default -> {}
        }
    }

    private boolean wants(Outbound item) {
        return item instanceof Outbound.Message message && grantedQos(message.topic()) >= 0;
    }

    /** The highest QoS granted among this client's filters that match {@code topic}, or -1. */
    private int grantedQos(String topic) {
        int qos = -1;
        for (Map.Entry<String, Integer> subscription : subscriptions.entrySet()) {
            if (TopicFilter.matches(subscription.getKey(), topic)) {
                qos = Math.max(qos, subscription.getValue());
            }
        }
        return qos;
    }

    private void send(MqttPacket packet) {
        outbox.send(Outbound.Packet.of(packet));
    }

    private void writeLoop() {
        try {
            for (Outbound item = outbox.next(); item != null; item = outbox.next()) {
                switch (item) {
                    case Outbound.Packet packet -> write(packet.bytes());
                    case Outbound.Message message -> deliver(message);
                }
            }
        } catch (IOException | InterruptedException e) {
            if (endReason == null) {
                endReason = "write failed: " + e.getMessage();
            }
        } finally {
            Sockets.abort(socket);
        }
    }

    private void deliver(Outbound.Message message) throws IOException, InterruptedException {
        int qos = grantedQos(message.topic());
        if (qos < 0) {
            return; // unsubscribed meanwhile
        }
        if (qos == 0) {
            write(message.qos0Packet());
        } else {
            if (!inFlightRoom.tryAcquire(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no PUBACK for " + MAX_IN_FLIGHT + " QoS 1 messages");
            }
            int id = nextPacketId();
            inFlight.put(id, Boolean.TRUE);
            write(MqttCodec.encode(new Publish(false, 1, false, message.topic(), id, message.payload())));
        }
        broker.stats().relayed(message.payload().length);
    }

    private int nextPacketId() {
        do {
            nextPacketId = nextPacketId % 65_535 + 1;
        } while (inFlight.containsKey(nextPacketId));
        return nextPacketId;
    }

    private void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        Deadline deadline = Deadline.abortAfter(config.writeTimeout(), socket);
        try (deadline) {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            if (deadline.expired()) {
                endReason = "accepted no data for " + config.writeTimeout().toSeconds() + " s (mqtt.write-timeout)";
            }
            throw e;
        }
    }
}
