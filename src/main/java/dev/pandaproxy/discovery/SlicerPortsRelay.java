package dev.pandaproxy.discovery;

import dev.pandaproxy.config.PrinterConfig;
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
 * TCP 2024–2026, which some slicers open on A1/P1 printers for purposes nobody documented: relayed to
 * the printer as they are, one printer connection per client.
 */
public final class SlicerPortsRelay implements ProxiedService {
    private static final String SERVICE = "slicer-ports";
    /** The ports, the same on the proxy and the printer. */
    public static final List<Integer> PORTS = List.of(2024, 2025, 2026);

    private final PrinterConfig printer;
    private final String bindAddress;
    private final ServiceStats stats = new ServiceStats();
    private final List<Listener> listeners = new ArrayList<>();

    public SlicerPortsRelay(PrinterConfig printer, String bindAddress) {
        this.printer = printer;
        this.bindAddress = bindAddress;
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        for (int port : PORTS) {
            listeners.add(Listener.start(new Listener.Spec(SERVICE, "slicer.extra-ports", bindAddress, port, 16,
                    stats::connectionRejected), ServerSocket::new,
                    Relay.to(SERVICE + "-" + port, printer.host(), port, printer.connectTimeout(), stats)));
        }
    }

    @Override
    public ServiceStatus status() {
        return new ServiceStatus(SERVICE, bindAddress + ":" + PORTS, stats.clients(), Optional.empty(), stats.counters());
    }

    @Override
    public void close() {
        listeners.forEach(Listener::close);
    }
}
