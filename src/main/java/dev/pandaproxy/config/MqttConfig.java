package dev.pandaproxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The MQTT service (port 8883).
 *
 * @param users                extra client users besides {@code bblp} + the access code
 * @param maxPacketBytes       largest packet accepted from a logged-in client
 * @param maxConnectBytes      largest CONNECT, the packet read before the client logged in
 * @param maxClients           clients connected at once
 * @param maxSubscriptions     topic filters per client
 * @param clientQueue          messages waiting for one client; more and that client is disconnected
 * @param connectTimeout       time a client has for the TLS handshake and its CONNECT
 * @param writeTimeout         a client that accepts no data (or acknowledges no QoS 1 message) this long is disconnected
 * @param requestQueue         requests held while the printer is unreachable
 * @param requestTtl           how long a held request may wait
 * @param pushallInterval      least time between two {@code pushall}s the proxy sends the printer
 * @param fullStateOnSubscribe give a new report subscriber the full state at once
 * @param silenceTimeout       no report for this long: nudge the printer, and reconnect after as long again
 * @param keepAlive            keep-alive toward the printer
 * @param rewritePrinterIp     replace {@code print.net.info[].ip} with the proxy's address (default: when FTP is proxied)
 */
public record MqttConfig(
        List<MqttUser> users,
        int maxPacketBytes,
        int maxConnectBytes,
        int maxClients,
        int maxSubscriptions,
        int clientQueue,
        Duration connectTimeout,
        Duration writeTimeout,
        int requestQueue,
        Duration requestTtl,
        Duration pushallInterval,
        boolean fullStateOnSubscribe,
        Duration silenceTimeout,
        Duration keepAlive,
        boolean rewritePrinterIp) {

    /** The largest packet MQTT's remaining-length encoding can announce. */
    private static final long MAX_PACKET = 268_435_455;

    /**
     * {@code mqtt.*}.
     *
     * @param services the enabled services: the printer's address is rewritten by default when FTP is proxied
     */
    static MqttConfig from(ConfigReader r, Set<Service> services) {
        return new MqttConfig(
                r.entries("mqtt.users").stream().map(MqttUser::from).toList(),
                (int) Math.min(MAX_PACKET, r.bytes("mqtt.max-packet-size", 1 << 20)),
                (int) Math.min(MAX_PACKET, r.bytes("mqtt.max-connect-size", 16 << 10)),
                r.positive("mqtt.max-clients", 64),
                r.positive("mqtt.max-subscriptions", 32),
                r.positive("mqtt.client-queue", 1000),
                r.duration("mqtt.connect-timeout", Duration.ofSeconds(10)),
                r.duration("mqtt.write-timeout", Duration.ofSeconds(30)),
                r.positive("mqtt.request-queue", 32),
                r.duration("mqtt.request-ttl", Duration.ofSeconds(30)),
                r.duration("mqtt.pushall-interval", Duration.ofMinutes(5)),
                r.bool("mqtt.full-state-on-subscribe", true),
                r.duration("mqtt.silence-timeout", Duration.ofSeconds(60)),
                r.duration("mqtt.keep-alive", Duration.ofSeconds(30)),
                r.bool("mqtt.rewrite-printer-ip", services.contains(Service.FTP)));
    }

    /** What a client user may do. */
    public enum Role {
        /** Subscribe only. */
        READ_ONLY,
        /** Subscribe and send commands to the printer. */
        CONTROL
    }

    /**
     * An extra MQTT user.
     *
     * @param name     user name
     * @param password password; never printed
     * @param role     what it may do
     */
    public record MqttUser(String name, Secret password, Role role) {
        /** One entry of {@code mqtt.users}: {@code name}, {@code password} and {@code role} (default read-only). */
        static MqttUser from(ConfigReader entry) {
            String where = entry.where();
            String name = entry.verbatim("name").orElseThrow(() -> new ConfigException(where + ".name is missing"));
            if (name.equals("bblp")) {
                throw new ConfigException(where + ".name = bblp: bblp always logs in with the printer's access code");
            }
            String password =
                    entry.verbatim("password").orElseThrow(() -> new ConfigException(where + ".password is missing"));
            String role = entry.verbatim("role").orElse("read-only");
            return new MqttUser(
                    name,
                    Secret.of(password),
                    switch (role) {
                        case "read-only" -> Role.READ_ONLY;
                        case "control" -> Role.CONTROL;
                        default ->
                            throw new ConfigException(where + ".role = '" + role + "': use read-only or control");
                    });
        }
    }
}
