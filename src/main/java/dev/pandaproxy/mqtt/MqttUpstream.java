package dev.pandaproxy.mqtt;

import dev.pandaproxy.config.MqttConfig;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.net.Backoff;
import dev.pandaproxy.net.UpstreamLoop;
import dev.pandaproxy.status.ServiceStats;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The printer side of the MQTT service: one session at a time (the {@link UpstreamLoop} reconnects),
 * the merged report state, the requests waiting while the printer is away, and the rules that keep
 * {@code pushall}s rare.
 */
final class MqttUpstream implements UpstreamLoop.Connector {
    private static final System.Logger LOG = System.getLogger(MqttUpstream.class.getName());
    private static final String SERVICE = "mqtt";
    /** Room in the printer's outbox beyond mqtt.request-queue: the pushall, get_version and a ping after a connect. */
    private static final int OUTBOX_RESERVE = 4;

    private final MqttConfig config;
    private final PrinterConfig printer;
    private final SSLContext context;
    private final String clientId;
    private final Optional<String> advertiseAddress;
    private final ServiceStats stats;
    private final Consumer<Outbound.Message> toClients;
    private final String reportTopic;
    private final String requestTopic;
    private final ReportState state = new ReportState();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private final AtomicLong pushallSequence = new AtomicLong(1_000_000);
    private final AtomicLong upstreamPushalls = new AtomicLong();
    private UpstreamLoop loop;
    private Thread expiry;
    private PrinterSession current;
    private volatile String pendingPushall;
    private volatile long lastPushallNanos;
    private volatile long lastReportNanos = System.nanoTime();
    /** The proxy's address on the printer's network: the local end of the printer connection. */
    private volatile InetAddress localAddress;

    MqttUpstream(
            MqttConfig config,
            PrinterConfig printer,
            SSLContext context,
            String clientId,
            Optional<String> advertiseAddress,
            ServiceStats stats,
            Consumer<Outbound.Message> toClients) {
        this.advertiseAddress = advertiseAddress;
        this.config = config;
        this.printer = printer;
        this.context = context;
        this.clientId = clientId;
        this.stats = stats;
        this.toClients = toClients;
        this.reportTopic = "device/" + printer.serial() + "/report";
        this.requestTopic = "device/" + printer.serial() + "/request";
    }

    /** Starts the reconnecting loop and the sweeper of expired requests. */
    UpstreamLoop start(UpstreamLoop.Demand demand, Backoff backoff) {
        loop = new UpstreamLoop(SERVICE, printer.host() + ":" + printer.ports().mqtt(), backoff, demand, this);
        loop.start();
        expiry = Thread.ofVirtual().name("mqtt-request-expiry").start(this::expireWaitingRequests);
        return loop;
    }

    ReportState state() {
        return state;
    }

    String reportTopic() {
        return reportTopic;
    }

    String requestTopic() {
        return requestTopic;
    }

    /** {@code pushall} requests the proxy sent the printer so far. */
    long upstreamPushalls() {
        return upstreamPushalls.get();
    }

    /**
     * Queues a client's request for the printer, or holds it until the printer is back (or reading again:
     * its session is cut after the keep-alive). Never waits for the printer's socket.
     */
    void forward(Request request) {
        lock.lock();
        try {
            if (current != null) {
                try {
                    current.publish(requestTopic, request.payload());
                    request.outcome().forwarded();
                    return;
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "{0}: forward failed, holding the request: {1}", SERVICE, e.getMessage());
                }
            }
            if (waiting.size() >= config.requestQueue()) {
                drop(
                        request,
                        "the printer is unreachable and " + config.requestQueue()
                                + " requests already wait (mqtt.request-queue)");
            } else {
                waiting.addLast(request);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Asks the printer for a full report unless one was asked for within {@code mqtt.pushall-interval}. */
    void pushallIfDue() {
        if (System.nanoTime() - lastPushallNanos >= config.pushallInterval().toNanos()) {
            lock.lock();
            try {
                if (current != null) {
                    sendPushall(current);
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "{0}: pushall not sent: {1}", SERVICE, e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public UpstreamLoop.Session connect() throws IOException {
        PrinterSession session = PrinterSession.open(
                context,
                printer.host(),
                printer.ports().mqtt(),
                clientId,
                printer.accessCode(),
                reportTopic,
                printer.connectTimeout(),
                config.keepAlive(),
                OUTBOX_RESERVE + config.requestQueue(),
                this::onPrinterMessage);
        localAddress = session.localAddress();
        return new UpstreamLoop.Session() {
            private final SilenceWatch silence = new SilenceWatch(session);

            @Override
            public void run() throws IOException {
                lock.lock();
                try {
                    current = session;
                    // after every (re)connect: a full report, the firmware versions, then what waited
                    sendPushall(session);
                    if (state.versionReport("0").isEmpty()) {
                        session.publish(
                                requestTopic,
                                "{\"info\":{\"sequence_id\":\"0\",\"command\":\"get_version\"}}"
                                        .getBytes(StandardCharsets.UTF_8));
                    }
                    while (!waiting.isEmpty()) {
                        // taken only once queued: a full outbox ends this session and the request waits for the next
                        session.publish(requestTopic, waiting.peekFirst().payload());
                        waiting.pollFirst().outcome().forwarded();
                    }
                } finally {
                    lock.unlock();
                }
                lastReportNanos = System.nanoTime();
                Thread watch = Thread.ofVirtual().name("mqtt-silence-watch").start(silence);
                try {
                    session.run();
                } catch (IOException e) {
                    throw silence.reason != null ? new IOException(silence.reason, e) : e;
                } finally {
                    watch.interrupt();
                    lock.lock();
                    try {
                        current = null;
                    } finally {
                        lock.unlock();
                    }
                }
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** A message from the printer: merged into the state, then handed to the clients. */
    private void onPrinterMessage(String topic, byte[] payload) {
        lastReportNanos = System.nanoTime();
        stats.received(payload.length);
        byte[] forClients = payload;
        Optional<JsonObject> parsed = Json.parseObject(payload);
        boolean full = false;
        if (parsed.isPresent()) {
            // only reports that carry the address are re-encoded; everything else passes byte for byte
            Optional<JsonObject> rewritten = config.rewritePrinterIp() ? withProxyIp(parsed.get()) : Optional.empty();
            if (rewritten.isPresent()) {
                parsed = rewritten;
                forClients = Json.bytes(rewritten.get());
            }
            full = pendingPushall != null
                    && pendingPushall.equals(Json.asText(Json.at(parsed.get(), "print", "sequence_id")));
            if (full) {
                pendingPushall = null;
            }
        }
        if (loop != null) {
            loop.healthy();
        }
        Outbound.Message message = Outbound.Message.of(topic, forClients);
        boolean fullReport = full;
        Optional<JsonObject> report = parsed;
        state.exclusive(() -> {
            report.ifPresent(json -> state.merge(json, fullReport));
            toClients.accept(message);
        });
    }

    /**
     * Slicers upload over FTP to {@code print.net.info[].ip}: the report with that pointed at the proxy, or empty
     * when it carries no address to change.
     */
    private Optional<JsonObject> withProxyIp(JsonObject report) {
        List<JsonValue> entries = Json.elements(Json.at(report, "print", "net", "info"));
        Optional<Long> proxyIp = entries.isEmpty() ? Optional.empty() : advertisedIpv4();
        if (proxyIp.isEmpty()) {
            return Optional.empty();
        }
        boolean changed = false;
        List<JsonValue> rewritten = new ArrayList<>(entries.size());
        for (JsonValue entry : entries) {
            if (entry.type() == JsonValueType.OBJECT
                    && Json.asNumber(entry.asObject().value("ip")).orElse(0) != 0) {
                rewritten.add(JsonObject.builder()
                        .from(entry.asObject())
                        .set("ip", proxyIp.get())
                        .build());
                changed = true;
            } else {
                rewritten.add(entry);
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        JsonObject print = report.objectValue("print").orElseThrow();
        JsonObject net = print.objectValue("net").orElseThrow();
        JsonObject newNet =
                JsonObject.builder().from(net).setValues("info", rewritten).build();
        JsonObject newPrint =
                JsonObject.builder().from(print).set("net", newNet).build();
        return Optional.of(
                JsonObject.builder().from(report).set("print", newPrint).build());
    }

    /** The proxy's IPv4 address for clients, as the printer encodes it: a little-endian uint32. */
    private Optional<Long> advertisedIpv4() {
        try {
            InetAddress address =
                    advertiseAddress.isPresent() ? InetAddress.getByName(advertiseAddress.get()) : localAddress;
            if (!(address instanceof Inet4Address)) {
                return Optional.empty();
            }
            byte[] b = address.getAddress();
            return Optional.of((b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private void sendPushall(PrinterSession session) throws IOException {
        String sequence = String.valueOf(pushallSequence.incrementAndGet());
        session.publish(
                requestTopic,
                ("{\"pushing\":{\"sequence_id\":\"" + sequence
                                + "\",\"command\":\"pushall\",\"version\":1,\"push_target\":1}}")
                        .getBytes(StandardCharsets.UTF_8));
        pendingPushall = sequence;
        lastPushallNanos = System.nanoTime();
        upstreamPushalls.incrementAndGet();
    }

    /**
     * Some firmware stops publishing while the TCP session stays up: after {@code mqtt.silence-timeout}
     * without a message, nudge the printer ({@code pushing.start}); after as long again, reconnect.
     */
    private final class SilenceWatch implements Runnable {
        private final PrinterSession session;
        /** Why the watch closed the session, set before it does. */
        private volatile String reason;

        SilenceWatch(PrinterSession session) {
            this.session = session;
        }

        @Override
        public void run() {
            long timeout = config.silenceTimeout().toNanos();
            boolean nudged = false;
            try {
                while (true) {
                    long silent = System.nanoTime() - lastReportNanos;
                    if (silent >= 2 * timeout) {
                        reason = "no report from the printer for "
                                + Duration.ofNanos(silent).toSeconds() + " s (mqtt.silence-timeout), reconnecting";
                        session.close();
                        return;
                    }
                    if (silent >= timeout && !nudged) {
                        LOG.log(
                                Level.INFO,
                                "{0}: no report for {1} s, asking the printer to resume pushing",
                                SERVICE,
                                Duration.ofNanos(silent).toSeconds());
                        session.publish(
                                requestTopic,
                                "{\"pushing\":{\"sequence_id\":\"0\",\"command\":\"start\"}}"
                                        .getBytes(StandardCharsets.UTF_8));
                        nudged = true;
                    } else if (silent < timeout) {
                        nudged = false;
                    }
                    Thread.sleep(Duration.ofNanos(Math.max(1_000_000, Math.min(timeout / 4, 1_000_000_000L))));
                }
            } catch (InterruptedException | IOException e) {
                // the session ended first
            }
        }
    }

    private void expireWaitingRequests() {
        try {
            while (true) {
                Thread.sleep(Duration.ofMillis(
                        Math.max(50, Math.min(1000, config.requestTtl().toMillis() / 4))));
                lock.lock();
                try {
                    Instant now = Instant.now();
                    while (!waiting.isEmpty() && waiting.peekFirst().deadline().isBefore(now)) {
                        drop(
                                waiting.pollFirst(),
                                "the printer stayed unreachable for "
                                        + config.requestTtl().toSeconds() + " s (mqtt.request-ttl)");
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // shutting down
        }
    }

    /** Stops the expiry sweeper and drops whatever still waits. */
    void close() {
        if (expiry != null) {
            expiry.interrupt();
        }
        lock.lock();
        try {
            while (!waiting.isEmpty()) {
                drop(waiting.pollFirst(), "the proxy is shutting down");
            }
        } finally {
            lock.unlock();
        }
    }

    private void drop(Request request, String reason) {
        stats.expired();
        request.outcome().dropped(reason);
    }
}
