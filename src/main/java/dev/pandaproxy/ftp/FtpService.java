package dev.pandaproxy.ftp;

import dev.pandaproxy.config.FtpConfig;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Relay;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * The FTPS service. In {@code proxy} mode it terminates TLS (see {@link FtpClientSession}); in
 * {@code passthrough} mode it relays port 990 and the printer's passive ports as raw TCP, like the
 * original PandaProxy (end-to-end TLS, but one printer session per client and no checks).
 */
public final class FtpService implements ProxiedService {
    private static final String SERVICE = "ftp";

    private final FtpConfig config;
    private final ServiceContext context;
    private final int port;
    private final ServiceStats stats = new ServiceStats();
    private final Semaphore printerSessions;
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * @param context its advertise address is announced in passive replies (default: the address the client
     *                reached); its relay limits apply in passthrough mode
     * @param port    the control port (0 for any)
     */
    public FtpService(FtpConfig config, ServiceContext context, int port) {
        this.config = config;
        this.context = context;
        this.port = port;
        this.printerSessions = new Semaphore(config.printerSessions(), true);
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        if (config.mode() == FtpConfig.Mode.PASSTHROUGH) {
            // implicit TLS: the client speaks first on the control port; on a data port the printer may (a download
            // with a clear data channel)
            listeners.add(relayListener(
                    "proxy.ports.ftp", port, context.printer().ports().ftp(), Relay.FirstWord.CLIENT));
            for (int p = config.passthroughPorts().first();
                    p <= config.passthroughPorts().last();
                    p++) {
                listeners.add(relayListener("ftp.passthrough-ports", p, p, Relay.FirstWord.ANYONE));
            }
            return;
        }
        listeners.add(Listener.start(
                new Listener.Spec(
                        SERVICE,
                        "proxy.ports.ftp",
                        context.bindAddress(),
                        port,
                        config.maxClients(),
                        stats::connectionRejected),
                () -> TlsPolicy.newServerSocket(context.toClients(), TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                socket -> new FtpClientSession(this, config, (SSLSocket) socket).run()));
    }

    /** The bound control port. */
    public int port() {
        return listeners.getFirst().port();
    }

    @Override
    public ServiceStatus status() {
        return stats.status(
                SERVICE,
                listeners.isEmpty()
                        ? context.bindAddress() + ":" + port
                        : listeners.getFirst().address(),
                Optional.empty());
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
    }

    // ---- for the client sessions ----

    ServiceStats stats() {
        return stats;
    }

    ServiceContext context() {
        return context;
    }

    /** Waits up to {@code ftp.queue-timeout} for one of the printer's few FTP sessions. */
    boolean acquirePrinterSession() throws InterruptedException {
        return printerSessions.tryAcquire(config.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    void releasePrinterSession() {
        printerSessions.release();
    }

    PrinterFtp connectToPrinter() throws IOException {
        return PrinterFtp.login(
                context.toPrinter(), context.printer(), config.clearDataToPrinter(), config.dataTimeout());
    }

    private Listener relayListener(String key, int localPort, int printerPort, Relay.FirstWord firstWord) {
        return Listener.start(
                new Listener.Spec(
                        SERVICE, key, context.bindAddress(), localPort, config.maxClients(), stats::connectionRejected),
                ServerSocket::new,
                context.relayToPrinter(SERVICE, printerPort, firstWord, stats));
    }
}
