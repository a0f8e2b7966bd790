package dev.pandaproxy.sim;

import dev.pandaproxy.json.Json;
import dev.pandaproxy.mqtt.MqttCodec;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.Disconnect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.PingResp;
import dev.pandaproxy.mqtt.MqttPacket.PubAck;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.SubAck;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.mqtt.MqttPacket.UnsubAck;
import dev.pandaproxy.mqtt.MqttPacket.Unsubscribe;
import dev.pandaproxy.mqtt.MqttPacketReader;
import dev.pandaproxy.mqtt.TopicFilter;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.json.JsonNumber;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonString;
import io.helidon.json.JsonValue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The simulated printer's MQTT broker (port 8883): {@code bblp} + the access code, at most four sessions
 * (printers allow few), a delta report about once a second, a full report answering {@code pushall}
 * (with the request's {@code sequence_id}), {@code get_version}, and pause/resume/stop/project_file
 * changing the reported state. It records every request payload, so tests can check what arrived.
 */
public final class SimulatedMqtt implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedMqtt.class.getName());
    private static final int MAX_SESSIONS = 4;
    private static final int HISTORY = 1000;

    private final SimulatorConfig config;
    private final SSLContext context;
    private final String reportTopic;
    private final String requestTopic;
    /** The report's {@code print} members, changed under {@link #stateLock}. */
    private final Map<String, JsonValue> print;

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong pushalls = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean silent;
    private Listener listener;
    private Thread ticker;

    SimulatedMqtt(SimulatorConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
        this.reportTopic = "device/" + config.serial() + "/report";
        this.requestTopic = "device/" + config.serial() + "/request";
        try (InputStream in = SimulatedMqtt.class.getResourceAsStream("/sim/full-report.json")) {
            this.print = Json.members(Json.parseObject(in.readAllBytes())
                    .flatMap(report -> report.objectValue("print"))
                    .orElseThrow(() -> new IllegalStateException("the simulator's report template has no print")));
        } catch (IOException e) {
            throw new UncheckedIOException("the simulator's report template is missing", e);
        }
        JsonObject net = print.get("net").asObject();
        List<JsonValue> info = new ArrayList<>(Json.elements(net.value("info")));
        info.set(
                0,
                JsonObject.builder()
                        .from(info.getFirst().asObject())
                        .set("ip", littleEndianIpv4(config.bind()))
                        .build());
        print.put("net", JsonObject.builder().from(net).setValues("info", info).build());
    }

    void start() {
        listener = Listener.start(
                new Listener.Spec(
                        "sim-mqtt",
                        "printer.ports.mqtt",
                        config.bind(),
                        config.ports().mqtt(),
                        16,
                        () -> {}),
                () -> TlsPolicy.newServerSocket(context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                this::serve);
        ticker = Thread.ofVirtual().name("sim-mqtt-reports").start(this::publishDeltas);
    }

    public int port() {
        return listener.port();
    }

    /** Sessions that logged in so far. */
    public long logins() {
        return logins.get();
    }

    /** Sessions logged in now. */
    public int activeSessions() {
        return sessions.size();
    }

    /** {@code pushall} requests received. */
    public long pushalls() {
        return pushalls.get();
    }

    /** The payloads received on the request topic (the last 1000), byte for byte. */
    public List<byte[]> requests() {
        return List.copyOf(requests);
    }

    /** Stops (or resumes) the periodic reports, like firmware that goes quiet with the session up. */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /** Leaves {@code field} (e.g. {@code net}) out of every report from now on, like firmware that lacks it. */
    public void omit(String field) {
        stateLock.lock();
        try {
            print.remove(field);
        } finally {
            stateLock.unlock();
        }
    }

    /** Publishes {@code payload} on the report topic, as the printer would. */
    public void publishReport(byte[] payload) {
        for (Session session : sessions) {
            session.deliver(reportTopic, payload);
        }
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
        }
        if (listener != null) {
            listener.close();
        }
    }

    private void serve(Socket raw) throws IOException {
        SSLSocket socket = (SSLSocket) raw;
        String peer = Peers.describe(socket);
        MqttPacketReader reader = new MqttPacketReader(new BufferedInputStream(socket.getInputStream()), 1 << 20);
        Connect connect;
        try (Deadline deadline = Deadline.abortAfter(Duration.ofSeconds(10), socket)) {
            socket.startHandshake();
            if (!(reader.read() instanceof Connect c)) {
                return;
            }
            connect = c;
        }
        Session session = new Session(socket);
        boolean authorized = connect.username().orElse("").equals("bblp")
                && config.accessCode().matches(connect.password().orElse(new byte[0]));
        if (!authorized) {
            LOG.log(Level.INFO, "sim-mqtt: {0} sent a wrong user name or access code", peer);
            session.write(new ConnAck(false, ConnAck.NOT_AUTHORIZED));
            return;
        }
        if (sessions.size() >= MAX_SESSIONS) {
            LOG.log(Level.INFO, "sim-mqtt: {0} refused: {1} sessions already", peer, MAX_SESSIONS);
            session.write(new ConnAck(false, ConnAck.SERVER_UNAVAILABLE));
            return;
        }
        sessions.add(session);
        logins.incrementAndGet();
        LOG.log(Level.INFO, "sim-mqtt: {0} logged in as {1}", peer, connect.clientId());
        try {
            session.write(new ConnAck(false, ConnAck.ACCEPTED));
            while (true) {
                switch (reader.read()) {
                    case Subscribe s -> {
                        List<Integer> granted = new ArrayList<>();
                        for (TopicRequest topic : s.topics()) {
                            session.filters.add(topic.filter());
                            granted.add(0);
                        }
                        session.write(new SubAck(s.packetId(), granted));
                    }
                    case Unsubscribe u -> {
                        session.filters.removeAll(u.filters());
                        session.write(new UnsubAck(u.packetId()));
                    }
                    case Publish p -> {
                        if (p.qos() == 1) {
                            session.write(new PubAck(p.packetId()));
                        }
                        if (p.topic().equals(requestTopic)) {
                            handleRequest(p.payload());
                        }
                    }
                    case PingReq ping -> session.write(new PingResp());
                    case Disconnect d -> {
                        return;
                    }
                    default -> {}
                }
            }
        } finally {
            sessions.remove(session);
            LOG.log(Level.INFO, "sim-mqtt: {0} left", peer);
        }
    }

    private void handleRequest(byte[] payload) {
        requests.add(payload.clone());
        while (requests.size() > HISTORY) {
            requests.removeFirst();
        }
        // printers ignore what they cannot parse
        Optional<JsonObject> request = Json.parseObject(payload).filter(object -> object.size() > 0);
        if (request.isEmpty()) {
            return;
        }
        String category = request.get().keysAsStrings().iterator().next();
        JsonValue body = request.get().value(category).orElseThrow();
        String command = Json.asText(Json.at(body, "command"));
        String sequenceId = Json.asText(Json.at(body, "sequence_id"), "0");
        switch (category + "." + command) {
            case "pushing.pushall" -> {
                pushalls.incrementAndGet();
                publishReport(wrap(
                        "print",
                        JsonObject.builder()
                                .from(snapshot())
                                .set("sequence_id", sequenceId)
                                .set("msg", 0)
                                .build()));
            }
            case "info.get_version" -> {
                JsonObject info = JsonObject.builder()
                        .set("command", "get_version")
                        .set("sequence_id", sequenceId)
                        .setValues(
                                "module",
                                List.of(
                                        JsonObject.builder()
                                                .set("name", "ota")
                                                .set("sw_ver", "01.07.00.00")
                                                .set("sn", config.serial())
                                                .build(),
                                        JsonObject.builder()
                                                .set("name", "ams/0")
                                                .set("sw_ver", "00.00.06.49")
                                                .set("sn", "006A00000000001")
                                                .build()))
                        .build();
                publishReport(wrap("info", info));
            }
            case "print.pause" -> changeState(command, sequenceId, "PAUSE");
            case "print.resume" -> changeState(command, sequenceId, "RUNNING");
            case "print.stop" -> changeState(command, sequenceId, "FINISH");
            case "print.project_file" -> {
                stateLock.lock();
                try {
                    print.put("subtask_name", JsonString.create(Json.asText(Json.at(body, "subtask_name"))));
                    print.put("gcode_file", JsonString.create(Json.asText(Json.at(body, "file"))));
                    print.put("mc_percent", JsonNumber.create(0));
                } finally {
                    stateLock.unlock();
                }
                changeState(command, sequenceId, "RUNNING");
            }
            default -> {
                // other commands are accepted without effect
            }
        }
    }

    private void changeState(String command, String sequenceId, String gcodeState) {
        JsonObject delta;
        stateLock.lock();
        try {
            print.put("gcode_state", JsonString.create(gcodeState));
            delta = JsonObject.builder()
                    .set("command", "push_status")
                    .set("msg", 1)
                    .set("sequence_id", String.valueOf(sequence.incrementAndGet()))
                    .set("gcode_state", gcodeState)
                    .build();
        } finally {
            stateLock.unlock();
        }
        publishReport(wrap(
                "print",
                JsonObject.builder()
                        .set("command", command)
                        .set("sequence_id", sequenceId)
                        .set("result", "success")
                        .build()));
        publishReport(wrap("print", delta));
    }

    /** A small delta about once a second, like P1/A1 firmware: only what changed. */
    private void publishDeltas() {
        try {
            while (true) {
                Thread.sleep(Duration.ofSeconds(1));
                if (silent || sessions.isEmpty()) {
                    continue;
                }
                JsonObject.Builder delta = JsonObject.builder()
                        .set("command", "push_status")
                        .set("msg", 1)
                        .set("sequence_id", String.valueOf(sequence.incrementAndGet()));
                stateLock.lock();
                try {
                    double nozzle = 24.5 + (sequence.get() % 10) / 10.0;
                    print.put("nozzle_temper", JsonNumber.create(nozzle));
                    delta.set("nozzle_temper", nozzle);
                    if ("RUNNING".equals(Json.asText(Optional.ofNullable(print.get("gcode_state"))))) {
                        int percent = (int) Math.min(
                                100,
                                Json.asNumber(Optional.ofNullable(print.get("mc_percent")))
                                                .orElse(0)
                                        + 1);
                        print.put("mc_percent", JsonNumber.create(percent));
                        delta.set("mc_percent", percent);
                    }
                } finally {
                    stateLock.unlock();
                }
                publishReport(wrap("print", delta.build()));
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    private JsonObject snapshot() {
        stateLock.lock();
        try {
            return JsonObject.create(print);
        } finally {
            stateLock.unlock();
        }
    }

    private static byte[] wrap(String category, JsonObject body) {
        return Json.bytes(JsonObject.builder().set(category, body).build());
    }

    /** The printer encodes its IPv4 address as a little-endian uint32. */
    private static long littleEndianIpv4(String address) {
        try {
            InetAddress inet = InetAddress.getByName(address);
            byte[] b = inet instanceof Inet4Address ? inet.getAddress() : new byte[] {127, 0, 0, 1};
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        } catch (IOException e) {
            return 16_777_343L; // 127.0.0.1
        }
    }

    /** One logged-in client: its filters and a lock so reports and replies do not interleave. */
    private static final class Session {
        private final SSLSocket socket;
        private final Set<String> filters = ConcurrentHashMap.newKeySet();
        private final ReentrantLock writeLock = new ReentrantLock();

        Session(SSLSocket socket) {
            this.socket = socket;
        }

        void deliver(String topic, byte[] payload) {
            if (filters.stream().anyMatch(filter -> TopicFilter.matches(filter, topic))) {
                try {
                    write(new Publish(false, 0, false, topic, 0, payload));
                } catch (IOException e) {
                    Sockets.abort(socket);
                }
            }
        }

        void write(MqttPacket packet) throws IOException {
            writeLock.lock();
            try (Deadline deadline = Deadline.abortAfter(Duration.ofSeconds(10), socket)) {
                socket.getOutputStream().write(MqttCodec.encode(packet));
                socket.getOutputStream().flush();
            } finally {
                writeLock.unlock();
            }
        }
    }
}
