package dev.pandaproxy.mqtt;

import dev.pandaproxy.config.MqttConfig;
import dev.pandaproxy.config.MqttConfig.Role;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.fanout.FanOut;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.Will;
import dev.pandaproxy.net.LogText;
import dev.pandaproxy.status.ServiceStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;

/**
 * The broker clients see: the printer's credentials and topics, many clients, one printer session
 * behind it ({@link MqttUpstream}). Messages from the printer reach every client through one
 * {@link FanOut}, each client filtering by its subscriptions.
 */
final class MqttBroker {
    private static final System.Logger LOG = System.getLogger(MqttBroker.class.getName());
    private static final byte[] NO_PASSWORD = new byte[0];

    private final MqttConfig config;
    private final Secret accessCode;
    private final MqttUpstream upstream;
    private final ServiceStats stats;
    private final LoginThrottle throttle;
    private final FanOut<Outbound> messages = new FanOut<>();
    private final Map<String, ClientConnection> byClientId = new ConcurrentHashMap<>();

    MqttBroker(
            MqttConfig config, Secret accessCode, MqttUpstream upstream, ServiceStats stats, LoginThrottle throttle) {
        this.config = config;
        this.accessCode = accessCode;
        this.upstream = upstream;
        this.stats = stats;
        this.throttle = throttle;
    }

    /** The outcome of a CONNECT's credentials. */
    sealed interface Login {
        record Granted(Role role) implements Login {}

        /**
         * @param returnCode the CONNACK code to answer with
         * @param reason     for the log
         */
        record Refused(int returnCode, String reason) implements Login {}
    }

    /** Checks {@code connect}'s credentials through the failed-login throttle, counting failures. */
    Login login(InetAddress source, Connect connect) {
        Role[] granted = new Role[1];
        return switch (throttle.check(
                source, "mqtt", () -> (granted[0] = authenticate(connect).orElse(null)) != null)) {
            case LoginThrottle.Verdict.Admitted admitted -> new Login.Granted(granted[0]);
            case LoginThrottle.Verdict.Rejected rejected -> {
                stats.authFailed();
                yield new Login.Refused(ConnAck.NOT_AUTHORIZED, "wrong user name or password");
            }
            case LoginThrottle.Verdict.Throttled throttled -> {
                stats.loginThrottled();
                yield new Login.Refused(
                        ConnAck.SERVER_UNAVAILABLE,
                        "too many failed logins from its address, for " + throttled.retryAfterSeconds() + " s more");
            }
        };
    }

    /** Serves one accepted TLS connection until it ends. */
    void serve(Socket socket) throws IOException {
        new ClientConnection(this, config, (SSLSocket) socket).run();
    }

    /** Hands a message to every client subscribed to its topic. */
    void publish(Outbound.Message message) {
        messages.publish(message);
    }

    /**
     * Publishes a report made from the state on the report topic, as the printer publishes its answers,
     * unless {@code fromState} has none yet. Made and fanned out while no printer report is merged, so
     * no report the snapshot lacks can reach a client before it. Returns whether a report was published.
     */
    boolean publishReport(Function<ReportState, Optional<byte[]>> fromState) {
        AtomicBoolean published = new AtomicBoolean();
        state().exclusive(() -> fromState.apply(state()).ifPresent(report -> {
            publish(Outbound.Message.of(reportTopic(), report));
            published.set(true);
        }));
        return published.get();
    }

    /**
     * The role {@code connect}'s credentials grant: {@code bblp} + the access code controls the printer;
     * configured users get their role. Every password is compared, in constant time, whoever logs in.
     */
    private Optional<Role> authenticate(Connect connect) {
        String user = connect.username().orElse("");
        byte[] password = connect.password().orElse(NO_PASSWORD);
        Optional<Role> role = Optional.empty();
        if (accessCode.matches(password) & user.equals("bblp")) {
            role = Optional.of(Role.CONTROL);
        }
        for (MqttConfig.MqttUser candidate : config.users()) {
            if (candidate.password().matches(password) & candidate.name().equals(user)) {
                role = Optional.of(candidate.role());
            }
        }
        return role;
    }

    /**
     * Makes {@code connection} the holder of {@code clientId}, taking it over from an older connection as MQTT
     * says, unless a read-only user would take over another user's connection.
     *
     * @return whether {@code connection} now holds the id
     */
    boolean register(String clientId, ClientConnection connection) {
        ClientConnection[] previous = new ClientConnection[1];
        ClientConnection holder = byClientId.compute(clientId, (id, current) -> {
            if (current != null
                    && connection.role() != Role.CONTROL
                    && !current.username().equals(connection.username())) {
                return current;
            }
            previous[0] = current;
            return connection;
        });
        if (previous[0] != null && previous[0] != connection) {
            previous[0].takenOver();
        }
        return holder == connection;
    }

    void unregister(String clientId, ClientConnection connection) {
        byClientId.remove(clientId, connection);
    }

    /** A client vanished without DISCONNECT: its will goes to the other clients, never to the printer. */
    void publishWill(Will will, String peer) {
        if (will.topic().startsWith("device/")) {
            LOG.log(
                    Level.DEBUG,
                    "mqtt: will of {0} on {1} discarded: printer topics are the printer''s",
                    peer,
                    LogText.escape(will.topic()));
            return;
        }
        publish(Outbound.Message.of(will.topic(), will.payload()));
    }

    void closeAll() {
        byClientId.values().forEach(ClientConnection::close);
        messages.closeAll();
    }

    FanOut<Outbound> messages() {
        return messages;
    }

    ServiceStats stats() {
        return stats;
    }

    MqttUpstream upstream() {
        return upstream;
    }

    ReportState state() {
        return upstream.state();
    }

    String reportTopic() {
        return upstream.reportTopic();
    }

    String requestTopic() {
        return upstream.requestTopic();
    }
}
