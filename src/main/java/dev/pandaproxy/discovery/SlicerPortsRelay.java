package dev.pandaproxy.discovery;

import dev.pandaproxy.config.FtpConfig.PortRange;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.RelayConfig;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Relay;
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
    private final PrinterConfig printer;
    private final PortRange ports;
    private final String bindAddress;
    private final RelayConfig limits;
    private final ServiceStats stats = new ServiceStats();
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * @param ports  the ports, the same on the proxy and the printer
     * @param limits timeouts and the connection cap of each port
     */
    public SlicerPortsRelay(PrinterConfig printer, PortRange ports, String bindAddress, RelayConfig limits) {
        this.limits = limits;
        this.printer = printer;
        this.ports = ports;
        this.bindAddress = bindAddress;
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
                            bindAddress,
                            port,
                            limits.maxClients(),
                            stats::connectionRejected),
                    ServerSocket::new,
                    Relay.to(
                            SERVICE + "-" + port,
                            printer.host(),
                            port,
                            printer.connectTimeout(),
                            limits,
                            Relay.FirstWord.ANYONE,
                            stats)));
        }
    }

    @Override
    public ServiceStatus status() {
        return new ServiceStatus(
                SERVICE,
                bindAddress + ":" + ports.first() + "-" + ports.last(),
                stats.clients(),
                stats.connected(),
                Optional.empty(),
                stats.counters());
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
    }
}
