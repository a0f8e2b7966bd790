package dev.pandaproxy.config;

import java.time.Duration;
import java.util.List;

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
    public record MqttUser(String name, Secret password, Role role) {}
}
