package dev.pandaproxy.chamber;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.fanout.FanOut;
import dev.pandaproxy.fanout.Mailbox;
import dev.pandaproxy.fanout.Subscription;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.net.Backoff;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.UpstreamLoop;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.tls.EngineTlsStream;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * The chamber camera service: one printer connection (held only while someone watches, unless configured
 * otherwise), any number of TLS viewers speaking the printer's own protocol, and subscriptions for the
 * HTTP camera endpoints. Every viewer gets latest-frame-only delivery.
 */
public final class ChamberCamera implements ProxiedService, FrameFeed {
    private static final System.Logger LOG = System.getLogger(ChamberCamera.class.getName());
    private static final String SERVICE = "camera";
    /** Viewers never send after their login; more than this is not a camera client. */
    private static final int MAX_BYTES_AFTER_LOGIN = 64 * 1024;

    private final CameraConfig config;
    private final ServiceContext context;
    private final int port;
    private final ServiceStats stats = new ServiceStats();
    private final FanOut<ChamberFrame> frames = new FanOut<>();
    private final UpstreamLoop upstream;
    private volatile ChamberFrame latest;
    private Listener listener;

    /** @param port listening port (0 for any) */
    public ChamberCamera(CameraConfig config, ServiceContext context, int port) {
        this.config = config;
        this.context = context;
        this.port = port;
        UpstreamLoop.Demand demand = config.onDemand()
                ? new UpstreamLoop.Demand() {
                    @Override
                    public void awaitDemand() throws InterruptedException {
                        frames.awaitSubscribers();
                    }

                    @Override
                    public void awaitNoDemand() throws InterruptedException {
                        frames.awaitNoSubscribersFor(config.linger());
                    }
                }
                : UpstreamLoop.Demand.ALWAYS;
        this.upstream = new UpstreamLoop(
                SERVICE,
                context.printer().host() + ":" + context.printer().ports().chamber(),
                new Backoff(context.printer().reconnect()),
                demand,
                this::connectToPrinter);
    }

    @Override
    public String name() {
        return SERVICE;
    }

    /** Binds the viewer port and starts the printer loop. */
    @Override
    public void start() {
        listener = Listener.start(
                new Listener.Spec(
                        SERVICE,
                        "proxy.ports.chamber",
                        context.bindAddress(),
                        port,
                        config.maxClients(),
                        stats::connectionRejected),
                ServerSocket::new,
                this::serveViewer);
        upstream.start();
    }

    @Override
    public Subscription<ChamberFrame> subscribe() {
        return frames.subscribe(Mailbox.latestOnly());
    }

    @Override
    public Optional<ChamberFrame> currentFrame() {
        return upstream.status().state() == UpstreamState.CONNECTED ? Optional.ofNullable(latest) : Optional.empty();
    }

    /** The bound viewer port. */
    public int port() {
        return listener.port();
    }

    @Override
    public ServiceStatus status() {
        return stats.status(SERVICE, listener.address(), Optional.of(upstream.status()));
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        upstream.close();
        frames.closeAll();
    }

    private UpstreamLoop.Session connectToPrinter() throws IOException {
        ChamberClient client = ChamberClient.connect(
                context.toPrinter(),
                context.printer().host(),
                context.printer().ports().chamber(),
                context.printer().accessCode(),
                context.printer().connectTimeout(),
                config.maxFrameBytes());
        client.readTimeout(config.readTimeout());
        return new UpstreamLoop.Session() {
            @Override
            public void run() throws IOException {
                long received = 0;
                while (true) {
                    ChamberFrame frame;
                    try {
                        frame = client.readFrame();
                    } catch (EOFException e) {
                        if (received == 0) {
                            throw new IOException(
                                    "the printer closed the camera connection before the first frame: "
                                            + "check the access code, or whether another viewer holds the printer's only camera slot");
                        }
                        return;
                    } catch (SocketTimeoutException e) {
                        throw new IOException("no frame from the printer for "
                                + config.readTimeout().toSeconds() + " s (camera.read-timeout)");
                    }
                    if (received++ == 0) {
                        upstream.healthy();
                    }
                    latest = frame;
                    stats.received(frame.size());
                    stats.skipped(frames.publish(frame));
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private void serveViewer(Socket socket) throws IOException {
        String peer = Peers.describe(socket);
        EngineTlsStream tls = login(socket, peer);
        if (tls == null) {
            return;
        }
        int clients = stats.clientConnected(peer, Optional.empty());
        LOG.log(Level.INFO, "{0}: {1} connected ({2} viewers)", SERVICE, peer, clients);
        long sent = 0;
        Subscription<ChamberFrame> subscription = frames.subscribe(Mailbox.latestOnly());
        try (subscription) {
            Thread.ofVirtual().name(SERVICE + "-" + peer + "-reader").start(() -> closeOnEof(tls, subscription));
            for (ChamberFrame frame = subscription.next(); frame != null; frame = subscription.next()) {
                // The header in a TLS record of its own: strict clients (ha-bambulab, bambulabs_api)
                // recognise headers by a 16-byte read, which takes one record.
                Deadline deadline = Deadline.abortAfter(config.writeTimeout(), socket);
                try (deadline) {
                    tls.writeSeparately(frame.header(), frame.jpeg());
                } catch (IOException e) {
                    if (deadline.expired()) {
                        LOG.log(
                                Level.INFO,
                                "{0}: {1} accepted no data for {2} s, disconnected (camera.write-timeout)",
                                SERVICE,
                                peer,
                                config.writeTimeout().toSeconds());
                    }
                    throw e;
                }
                sent++;
                stats.relayed(frame.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            int left = stats.clientDisconnected(peer);
            LOG.log(
                    Level.INFO,
                    "{0}: {1} disconnected after {2} frames, {3} skipped ({4} viewers)",
                    SERVICE,
                    peer,
                    String.valueOf(sent),
                    String.valueOf(subscription.skipped()),
                    left);
        }
    }

    /**
     * TLS handshake and the 80-byte login within the auth timeout; a wrong code is closed silently, like the
     * printer. Viewers get an engine-driven TLS stream: a frame leaves in a few large writes (see
     * {@link EngineTlsStream}), and they send nothing after the login, so one record of input buffer is enough.
     *
     * @return the logged-in viewer's TLS stream, or {@code null} if it is to be closed
     */
    private EngineTlsStream login(Socket socket, String peer) {
        EngineTlsStream tls;
        byte[] packet;
        try (Deadline deadline = Deadline.abortAfter(config.authTimeout(), socket)) {
            tls = EngineTlsStream.accept(socket, context.toClients(), TlsPolicy.ClientSuites.ECDHE_ONLY, 1);
            packet = tls.inputStream().readNBytes(ChamberCodec.LOGIN_BYTES);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: {1} failed before login: {2}", SERVICE, peer, e.getMessage());
            return null;
        }
        if (packet.length < ChamberCodec.LOGIN_BYTES) {
            LOG.log(Level.DEBUG, "{0}: {1} closed or timed out before sending its login", SERVICE, peer);
            return null;
        }
        try {
            ChamberLogin login = ChamberCodec.decodeLogin(packet);
            switch (context.throttle()
                    .check(
                            socket.getInetAddress(),
                            SERVICE,
                            () -> context.printer().accessCode().matches(login.accessCode()))) {
                case LoginThrottle.Verdict.Admitted admitted -> {
                    return tls;
                }
                case LoginThrottle.Verdict.Rejected rejected -> {
                    stats.authFailed();
                    LOG.log(Level.WARNING, "{0}: {1} rejected: wrong access code", SERVICE, peer);
                }
                case LoginThrottle.Verdict.Throttled throttled -> {
                    stats.loginThrottled();
                    LOG.log(Level.DEBUG, "{0}: {1} refused: too many failed logins from its address", SERVICE, peer);
                }
            }
            return null;
        } catch (ChamberProtocolException e) {
            stats.authFailed();
            LOG.log(Level.WARNING, "{0}: {1} rejected: {2}", SERVICE, peer, e.getMessage());
            return null;
        }
    }

    /** Viewers send nothing after the login; their EOF is how a departure is noticed while no frames flow. */
    private static void closeOnEof(EngineTlsStream tls, Subscription<ChamberFrame> subscription) {
        try {
            InputStream in = tls.inputStream();
            byte[] buffer = new byte[1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0 && total <= MAX_BYTES_AFTER_LOGIN; n = in.read(buffer)) {
                total += n;
            }
        } catch (IOException e) {
            // closed by either side
        } finally {
            subscription.close();
            tls.abort();
        }
    }

    /** Printers and clients never see the access code in this service's descriptions. */
    @Override
    public String toString() {
        return "ChamberCamera[" + context.printer().host() + ":"
                + context.printer().ports().chamber() + " -> " + context.bindAddress() + ":" + port + "]";
    }
}
