package dev.pandaproxy.discovery;

import dev.pandaproxy.config.FtpConfig.PortRange;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Relay;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TCP 2024–2026 (by default), which some slicers open on A1/P1 printers for purposes nobody documented: relayed to
 * the printer as they are, one printer connection per client.
 */
public final class SlicerPortsRelay implements ProxiedService {
    private static final String SERVICE = "slicer-ports";
    private final ServiceContext context;
    private final PortRange ports;
    private final ServiceStats stats = new ServiceStats();
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * @param context its relay limits (timeouts, the connection cap) apply to each port
     * @param ports   the ports, the same on the proxy and the printer
     */
    public SlicerPortsRelay(ServiceContext context, PortRange ports) {
        this.context = context;
        this.ports = ports;
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        for (int port = ports.first(); port <= ports.last(); port++) {
            // nobody documented these protocols, so who speaks first is unknown: the printer is connected at once
            listeners.add(Listener.start(
                    new Listener.Spec(
                            SERVICE,
                            "slicer.extra-port-range",
                            context.bindAddress(),
                            port,
                            context.relay().maxClients(),
                            stats::connectionRejected),
                    ServerSocket::new,
                    context.relayToPrinter(SERVICE + "-" + port, port, Relay.FirstWord.ANYONE, stats)));
        }
    }

    @Override
    public ServiceStatus status() {
        return stats.status(
                SERVICE, context.bindAddress() + ":" + ports.first() + "-" + ports.last(), Optional.empty());
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
    }
}
