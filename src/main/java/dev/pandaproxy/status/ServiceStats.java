package dev.pandaproxy.status;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one service, updated from connection threads without locking. Every service keeps the
 * same set, so the metrics and {@code /status} are uniform; "messages" are camera frames or MQTT messages.
 */
public final class ServiceStats {
    /** The cumulative counters; their lower-case names appear in {@code /status} and in metric names. */
    public enum Counter {
        REJECTED_CONNECTIONS("Connections refused because the client limit was reached"),
        AUTH_FAILURES("Failed client logins"),
        THROTTLED_LOGINS("Logins refused unchecked because their source address failed too often (login-throttle)"),
        RECEIVED_MESSAGES("Frames or messages received from the printer"),
        RECEIVED_BYTES("Bytes of frames or messages received from the printer"),
        RELAYED_MESSAGES("Frames or messages delivered to clients, counted per client"),
        RELAYED_BYTES("Bytes delivered to clients"),
        CLIENT_TO_UPSTREAM_BYTES("Bytes raw relays carried from the connecting side toward the printer (or MediaMTX)"),
        UPSTREAM_TO_CLIENT_BYTES("Bytes raw relays carried from the printer (or MediaMTX) toward the connecting side"),
        SKIPPED_MESSAGES("Frames slow viewers skipped (latest-frame-only delivery)"),
        REFUSED_MESSAGES("Client messages not forwarded: not the printer's request topic, or a read-only user"),
        EXPIRED_MESSAGES(
                "Client requests dropped because the printer stayed unreachable (queue full or time-to-live over)");

        private final String description;

        Counter(String description) {
            this.description = description;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String description() {
            return description;
        }
    }

    /**
     * A logged-in client.
     *
     * @param address  its {@code host:port}
     * @param clientId what it calls itself (the MQTT client id), where the protocol has one; already escaped for display
     * @param since    when it logged in
     */
    public record Client(String address, Optional<String> clientId, Instant since) {}

    /** Logged-in clients by address; every service's connection cap bounds it. */
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    private final Map<Counter, LongAdder> counters = new EnumMap<>(Counter.class);

    public ServiceStats() {
        for (Counter counter : Counter.values()) {
            counters.put(counter, new LongAdder());
        }
    }

    /** The client at {@code address} ({@code host:port}) finished logging in; returns the number connected now. */
    public int clientConnected(String address, Optional<String> clientId) {
        clients.put(address, new Client(address, clientId, Instant.now()));
        return clients.size();
    }

    /** The logged-in client at {@code address} left; returns the number connected now. */
    public int clientDisconnected(String address) {
        clients.remove(address);
        return clients.size();
    }

    public void connectionRejected() {
        add(Counter.REJECTED_CONNECTIONS, 1);
    }

    public void authFailed() {
        add(Counter.AUTH_FAILURES, 1);
    }

    public void loginThrottled() {
        add(Counter.THROTTLED_LOGINS, 1);
    }

    /** A message (frame) of {@code bytes} arrived from the printer. */
    public void received(long bytes) {
        add(Counter.RECEIVED_MESSAGES, 1);
        add(Counter.RECEIVED_BYTES, bytes);
    }

    /** A message (frame) of {@code bytes} was delivered to one client. */
    public void relayed(long bytes) {
        add(Counter.RELAYED_MESSAGES, 1);
        add(Counter.RELAYED_BYTES, bytes);
    }

    /** A raw relay's connection ended having carried these bytes each way (its own direction counters). */
    public void carried(long clientToUpstream, long upstreamToClient) {
        add(Counter.CLIENT_TO_UPSTREAM_BYTES, clientToUpstream);
        add(Counter.UPSTREAM_TO_CLIENT_BYTES, upstreamToClient);
    }

    /** A viewer skipped {@code count} frames because it read slower than they came. */
    public void skipped(long count) {
        add(Counter.SKIPPED_MESSAGES, count);
    }

    /** A client message was refused (acknowledged as MQTT requires, but not forwarded). */
    public void refused() {
        add(Counter.REFUSED_MESSAGES, 1);
    }

    /** A held request expired before the printer came back. */
    public void expired() {
        add(Counter.EXPIRED_MESSAGES, 1);
    }

    /** The status of {@code service}, listening on {@code listen}: these clients and counters, and its printer connection. */
    public ServiceStatus status(String service, String listen, Optional<UpstreamStatus> upstream) {
        return new ServiceStatus(service, listen, clients(), connected(), upstream, counters());
    }

    public int clients() {
        return clients.size();
    }

    /** The clients connected now, longest connected first. */
    public List<Client> connected() {
        return clients.values().stream()
                .sorted(Comparator.comparing(Client::since))
                .toList();
    }

    public long get(Counter counter) {
        return counters.get(counter).sum();
    }

    /** Every counter by {@link Counter#id()}, in declaration order. */
    public Map<String, Long> counters() {
        Map<String, Long> result = new LinkedHashMap<>();
        counters.forEach((counter, adder) -> result.put(counter.id(), adder.sum()));
        return result;
    }

    private void add(Counter counter, long amount) {
        if (amount != 0) {
            counters.get(counter).add(amount);
        }
    }
}
