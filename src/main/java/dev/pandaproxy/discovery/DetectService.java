package dev.pandaproxy.discovery;

import dev.pandaproxy.config.SlicerConfig;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.json.JsonNumber;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The slicers' detect handshake, on TCP 3000 (plain, older firmware and slicers) and 3002 (TLS 1.2 with
 * the plain-RSA suites some slicers insist on): one request, one answer with the printer's identity,
 * then the connection closes.
 */
public final class DetectService implements ProxiedService {
    private static final System.Logger LOG = System.getLogger(DetectService.class.getName());
    private static final String SERVICE = "detect";
    /** A detect request is about 60 bytes; anything far larger is not one. */
    static final int MAX_FRAME = 4096;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SlicerConfig config;
    private final PrinterIdentitySource identity;
    private final SSLContext serverContext;
    private final String bindAddress;
    private final int plainPort;
    private final int tlsPort;
    private final ServiceStats stats = new ServiceStats();
    private final List<Listener> listeners = new ArrayList<>();

    public DetectService(
            SlicerConfig config,
            PrinterIdentitySource identity,
            SSLContext serverContext,
            String bindAddress,
            int plainPort,
            int tlsPort) {
        this.config = config;
        this.identity = identity;
        this.serverContext = serverContext;
        this.bindAddress = bindAddress;
        this.plainPort = plainPort;
        this.tlsPort = tlsPort;
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        listeners.add(Listener.start(
                new Listener.Spec(SERVICE, "proxy.ports.detect", bindAddress, plainPort, 16, stats::connectionRejected),
                ServerSocket::new,
                this::serve));
        listeners.add(Listener.start(
                new Listener.Spec(
                        SERVICE, "proxy.ports.detect-tls", bindAddress, tlsPort, 16, stats::connectionRejected),
                () -> TlsPolicy.newServerSocket(serverContext, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                this::serve));
    }

    /** The bound plain port. */
    public int plainPort() {
        return listeners.get(0).port();
    }

    /** The bound TLS port. */
    public int tlsPort() {
        return listeners.get(1).port();
    }

    @Override
    public ServiceStatus status() {
        return stats.status(
                SERVICE,
                listeners.isEmpty()
                        ? bindAddress
                        : listeners.get(0).address() + ", " + listeners.get(1).address(),
                Optional.empty());
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
    }

    /**
     * The answer to a detect request, or empty when {@code request} is not one.
     *
     * @param request the JSON of the slicer's frame
     */
    static Optional<byte[]> answer(byte[] request, PrinterIdentity printer, String nameSuffix) {
        Optional<JsonValue> login = Json.parseObject(request).flatMap(json -> json.value("login"));
        if (!"detect".equals(Json.asText(login.flatMap(l -> Json.at(l, "command"))))) {
            return Optional.empty();
        }
        JsonObject body = JsonObject.builder()
                .set("bind", "free")
                .set("command", "detect")
                .set("connect", "lan")
                .set("dev_cap", 1)
                .set("id", printer.serial())
                .set("model", printer.model())
                .set("name", printer.name().endsWith(nameSuffix) ? printer.name() : printer.name() + nameSuffix)
                // the slicer's own id back as it sent it, number or text
                .set(
                        "sequence_id",
                        login.flatMap(l -> Json.at(l, "sequence_id")).orElse(JsonNumber.create(0)))
                .set("version", printer.version())
                .build();
        return Optional.of(Json.bytes(JsonObject.builder().set("login", body).build()));
    }

    private void serve(Socket socket) throws IOException {
        String peer = Peers.describe(socket);
        try (Deadline deadline = Deadline.abortAfter(TIMEOUT, socket)) {
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            byte[] request = DetectCodec.read(socket.getInputStream(), MAX_FRAME);
            stats.received(request.length);
            Optional<PrinterIdentity> printer = identity.current();
            if (printer.isEmpty()) {
                LOG.log(
                        Level.INFO,
                        "{0}: {1} asked who the printer is, but its identity is not known yet (slicer.model)",
                        SERVICE,
                        peer);
                return;
            }
            Optional<byte[]> answer = answer(request, printer.get(), config.nameSuffix());
            if (answer.isEmpty()) {
                LOG.log(Level.INFO, "{0}: {1} sent something other than a detect request", SERVICE, peer);
                return;
            }
            socket.getOutputStream().write(DetectCodec.encode(answer.get()));
            socket.getOutputStream().flush();
            stats.relayed(answer.get().length);
            LOG.log(Level.INFO, "{0}: answered {1}", SERVICE, peer);
        } catch (DiscoveryProtocolException e) {
            LOG.log(Level.INFO, "{0}: {1} closed: {2}", SERVICE, peer, e.getMessage());
        }
    }
}
