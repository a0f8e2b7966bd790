package dev.pandaproxy.mqtt;

import dev.pandaproxy.config.MqttConfig;
import dev.pandaproxy.net.Backoff;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.UpstreamLoop;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** The MQTT service: the broker's listener and the printer session behind it. */
public final class MqttService implements ProxiedService {
    private static final String SERVICE = "mqtt";

    private final MqttConfig config;
    private final ServiceContext context;
    private final int port;
    private final ServiceStats stats = new ServiceStats();
    private final MqttUpstream upstream;
    private final MqttBroker broker;
    private Listener listener;
    private UpstreamLoop loop;

    /** @param port listening port (0 for any); the proxy's MQTT client id is kept in the printer's state directory */
    public MqttService(MqttConfig config, ServiceContext context, int port) {
        this.config = config;
        this.context = context;
        this.port = port;
        this.upstream = new MqttUpstream(
                config,
                context.printer(),
                context.toPrinter(),
                clientId(context.printerDir()),
                context.advertiseAddress(),
                stats,
                this::toClients);
        this.broker = new MqttBroker(config, context.printer().accessCode(), upstream, stats, context.throttle());
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        listener = Listener.start(
                new Listener.Spec(
                        SERVICE,
                        "proxy.ports.mqtt",
                        context.bindAddress(),
                        port,
                        config.maxClients(),
                        stats::connectionRejected),
                () -> TlsPolicy.newServerSocket(context.toClients(), TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                broker::serve);
        loop = upstream.start(
                UpstreamLoop.Demand.ALWAYS, new Backoff(context.printer().reconnect()));
    }

    /** The bound port. */
    public int port() {
        return listener.port();
    }

    /** The printer's firmware version, once its {@code get_version} reply was seen. */
    public Optional<String> firmwareVersion() {
        return upstream.state().moduleVersion("ota");
    }

    /** The printer's merged state: the {@code print} object of its reports. */
    public JsonObject printerState() {
        return upstream.state().print();
    }

    /** {@code pushall} requests the proxy sent the printer. */
    public long upstreamPushalls() {
        return upstream.upstreamPushalls();
    }

    @Override
    public ServiceStatus status() {
        return stats.status(SERVICE, listener.address(), Optional.of(loop.status()));
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        broker.closeAll();
        if (loop != null) {
            loop.close();
        }
        upstream.close();
    }

    private void toClients(Outbound.Message message) {
        broker.publish(message);
    }

    /**
     * The proxy's client id toward the printer: unique per proxy, and the same after a restart, so a
     * session the printer still holds from before is taken over instead of occupying one of its few slots.
     */
    private static String clientId(Path printerDir) {
        Path file = printerDir.resolve("mqtt-client-id");
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            byte[] random = new byte[6];
            new SecureRandom().nextBytes(random);
            String id = "pandaproxy-" + HexFormat.of().formatHex(random);
            Pem.write(file, id + "\n", false);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the MQTT client id in " + file, e);
        }
    }
}
