package dev.pandaproxy.discovery;

import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.config.SlicerConfig;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStatus;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Discovery for slicers: hears the printer's announcements on UDP (learning who it is), announces it
 * again with the proxy's address on every configured interface, answers M-SEARCH, and says goodbye
 * ({@code ssdp:byebye}) at shutdown.
 */
public final class DiscoveryService implements ProxiedService {
    private static final System.Logger LOG = System.getLogger(DiscoveryService.class.getName());
    private static final String SERVICE = "discovery";
    private static final int MAX_DATAGRAM = 4096;

    private final SlicerConfig config;
    private final String printerHost;
    private final int listenPort;
    private final Optional<String> advertiseAddress;
    private final PrinterIdentitySource identity;
    private final ServiceStats stats = new ServiceStats();
    private final String announcer = UUID.randomUUID().toString();
    private DatagramSocket socket;
    private List<Target> targets;
    private Set<InetAddress> printerAddresses = Set.of();
    private Thread receiver;
    private Thread announcerThread;
    private volatile boolean closed;

    /** Where announcements go, and the proxy address they name there. */
    record Target(InetSocketAddress destination, String location) {}

    /**
     * @param printerHost      the printer's address: announcements of it from anywhere else are ignored
     * @param listenPort       UDP port where the printer's announcements arrive ({@code proxy.ports.discovery})
     * @param advertiseAddress the address to announce; by default each interface's own IPv4 address
     */
    public DiscoveryService(
            SlicerConfig config,
            String printerHost,
            int listenPort,
            Optional<String> advertiseAddress,
            PrinterIdentitySource identity) {
        this.config = config;
        this.printerHost = printerHost;
        this.listenPort = listenPort;
        this.advertiseAddress = advertiseAddress;
        this.identity = identity;
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public void start() {
        targets = targets();
        try {
            printerAddresses = Set.of(InetAddress.getAllByName(printerHost));
        } catch (UnknownHostException e) {
            LOG.log(
                    Level.WARNING,
                    "{0}: printer.host {1} does not resolve: no announcement will be taken as the printer''s",
                    SERVICE,
                    printerHost);
        }
        try {
            socket = new DatagramSocket(null);
            socket.setReuseAddress(true); // slicers on the same host listen on this port too
            socket.setBroadcast(true);
            // the wildcard address: broadcasts do not reach a socket bound to a unicast address
            socket.bind(new InetSocketAddress(listenPort));
        } catch (SocketException e) {
            throw new ConfigException("proxy.ports.discovery = " + listenPort + ": cannot listen for announcements ("
                    + e.getMessage() + ")");
        }
        receiver = Thread.ofVirtual().name(SERVICE + "-listen").start(this::receive);
        announcerThread = Thread.ofVirtual().name(SERVICE + "-announce").start(this::announce);
        LOG.log(
                Level.INFO,
                "{0}: listening on UDP {1}, announcing to {2}",
                SERVICE,
                String.valueOf(socket.getLocalPort()),
                targets.stream()
                        .map(t -> t.destination().getAddress().getHostAddress() + ":" + config.announcePort() + " as "
                                + t.location())
                        .toList());
    }

    /** The bound UDP port. */
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public ServiceStatus status() {
        return stats.status(SERVICE, "udp " + (socket == null ? listenPort : socket.getLocalPort()), Optional.empty());
    }

    @Override
    public void close() {
        closed = true;
        if (announcerThread != null) {
            announcerThread.interrupt();
        }
        if (socket != null) {
            identity.current().ifPresent(printer -> {
                for (Target target : targets) {
                    send(Announcements.byebye(printer, announcer), target.destination());
                }
            });
            socket.close();
        }
    }

    private void announce() {
        boolean waitingLogged = false;
        try {
            while (!closed) {
                Optional<PrinterIdentity> printer = identity.current();
                if (printer.isPresent()) {
                    for (Target target : targets) {
                        send(
                                Announcements.alive(printer.get(), target.location(), config.nameSuffix(), announcer),
                                target.destination());
                        stats.relayed(1);
                    }
                } else if (!waitingLogged) {
                    LOG.log(
                            Level.INFO,
                            "{0}: not announcing yet: the printer''s announcement was not heard; set "
                                    + "slicer.model (and slicer.name) if it is on another network",
                            SERVICE);
                    waitingLogged = true;
                }
                Thread.sleep(
                        printer.isPresent()
                                ? config.announceInterval()
                                : config.announceInterval().dividedBy(4));
            }
        } catch (InterruptedException e) {
            // shutting down
        }
    }

    private void receive() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "{0}: receive failed: {1}", SERVICE, e.getMessage());
                }
                continue;
            }
            handle(packet);
        }
    }

    private void handle(DatagramPacket packet) {
        SsdpMessage message;
        try {
            message = SsdpMessage.parse(packet.getData(), packet.getLength());
        } catch (DiscoveryProtocolException e) {
            LOG.log(
                    Level.DEBUG,
                    "{0}: ignored a datagram from {1}: {2}",
                    SERVICE,
                    packet.getSocketAddress(),
                    e.getMessage());
            return;
        }
        if (message.header(Announcements.ANNOUNCER_HEADER).isPresent()) {
            return; // ours (or another proxy's)
        }
        if (message.startLine().equals(SsdpMessage.NOTIFY)) {
            if (!printerAddresses.contains(packet.getAddress())) {
                LOG.log(
                        Level.DEBUG,
                        "{0}: ignored an announcement from {1}: not the printer''s address",
                        SERVICE,
                        packet.getSocketAddress());
                return;
            }
            stats.received(packet.getLength());
            identity.heard(message);
        } else if (message.startLine().equals(SsdpMessage.SEARCH)) {
            String target = message.header("ST").orElse("");
            if (target.equals(SsdpMessage.PRINTER_TYPE) || target.equals("ssdp:all")) {
                identity.current()
                        .ifPresent(printer -> send(
                                Announcements.searchResponse(
                                        printer,
                                        advertiseAddress.orElse(
                                                targets.isEmpty()
                                                        ? ""
                                                        : targets.getFirst().location()),
                                        config.nameSuffix(),
                                        announcer),
                                packet.getSocketAddress()));
            }
        }
    }

    private void send(SsdpMessage message, SocketAddress destination) {
        byte[] bytes = message.encode();
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, destination));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: sending to {1} failed: {2}", SERVICE, destination, e.getMessage());
        }
    }

    /**
     * The broadcast address of every configured interface (or, for an interface without one such as
     * loopback, its own address), each naming the proxy by the advertised address or that interface's.
     */
    private List<Target> targets() {
        List<Target> result = new ArrayList<>();
        try {
            List<NetworkInterface> interfaces = new ArrayList<>();
            if (config.interfaces().isEmpty()) {
                for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (candidate.isUp() && !candidate.isLoopback()) {
                        interfaces.add(candidate);
                    }
                }
            } else {
                for (String name : config.interfaces()) {
                    NetworkInterface named = NetworkInterface.getByName(name);
                    if (named == null) {
                        throw new ConfigException(
                                "slicer.interfaces: no network interface '" + name + "' on this machine");
                    }
                    interfaces.add(named);
                }
            }
            for (NetworkInterface networkInterface : interfaces) {
                for (InterfaceAddress address : networkInterface.getInterfaceAddresses()) {
                    if (address.getAddress() instanceof Inet4Address ipv4) {
                        InetAddress destination = address.getBroadcast() != null ? address.getBroadcast() : ipv4;
                        result.add(new Target(
                                new InetSocketAddress(destination, config.announcePort()),
                                advertiseAddress.orElse(ipv4.getHostAddress())));
                    }
                }
            }
        } catch (SocketException e) {
            throw new ConfigException("slicer.interfaces: cannot list the network interfaces (" + e.getMessage() + ")");
        }
        if (result.isEmpty()) {
            throw new ConfigException("slicer.discovery: no IPv4 interface to announce on; set slicer.interfaces");
        }
        return List.copyOf(result);
    }
}
