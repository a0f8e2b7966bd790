package dev.pandaproxy.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pandaproxy.config.MqttConfig;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.net.Backoff;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.UpstreamLoop;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** The MQTT service: the broker's listener and the printer session behind it. */
public final class MqttService implements ProxiedService {
    private static final String SERVICE = "mqtt";

    private final MqttConfig config;
    private final PrinterConfig printer;
    private final SSLContext serverContext;
    private final String bindAddress;
    private final int port;
    private final ServiceStats stats = new ServiceStats();
    private final MqttUpstream upstream;
    private final MqttBroker broker;
    private Listener listener;
    private UpstreamLoop loop;

    /**
     * @param printerContext TLS toward the printer
     * @param serverContext  TLS toward clients
     * @param stateDir       where the proxy's MQTT client id is kept (per printer)
     * @param advertiseAddress the address clients should use for the proxy, if configured
     * @param throttle       the failed-login throttle shared by every service
     */
    public MqttService(
            MqttConfig config,
            PrinterConfig printer,
            SSLContext printerContext,
            SSLContext serverContext,
            String bindAddress,
            int port,
            Path stateDir,
            Optional<String> advertiseAddress,
            LoginThrottle throttle) {
        this.config = config;
        this.printer = printer;
        this.serverContext = serverContext;
        this.bindAddress = bindAddress;
        this.port = port;
        this.upstream = new MqttUpstream(
                config,
                printer,
                printerContext,
                clientId(stateDir.resolve(printer.serial())),
                advertiseAddress,
                stats,
                this::toClients);
        this.broker = new MqttBroker(config, printer.accessCode(), upstream, stats, throttle);
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        listener = Listener.start(
                new Listener.Spec(
                        SERVICE, "proxy.ports.mqtt", bindAddress, port, config.maxClients(), stats::connectionRejected),
                () -> TlsPolicy.newServerSocket(serverContext, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                broker::serve);
        loop = upstream.start(UpstreamLoop.Demand.ALWAYS, new Backoff(printer.reconnect()));
    }

    /** The bound port. */
    public int port() {
        return listener.port();
    }

    /** The printer's firmware version, once its {@code get_version} reply was seen. */
    public Optional<String> firmwareVersion() {
        return upstream.state().moduleVersion("ota");
    }

    /** The printer's merged state: a copy of the {@code print} object of its reports. */
    public ObjectNode printerState() {
        return upstream.state().print();
    }

    /** {@code pushall} requests the proxy sent the printer. */
    public long upstreamPushalls() {
        return upstream.upstreamPushalls();
    }

    @Override
    public ServiceStatus status() {
        return new ServiceStatus(
                SERVICE,
                listener.address(),
                stats.clients(),
                stats.connected(),
                Optional.of(loop.status()),
                stats.counters());
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
