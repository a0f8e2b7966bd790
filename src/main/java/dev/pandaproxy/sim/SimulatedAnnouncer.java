package dev.pandaproxy.sim;

import dev.pandaproxy.discovery.PrinterIdentity;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The simulated printer's announcements: its NOTIFY, repeated, to where a printer would send it. */
final class SimulatedAnnouncer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedAnnouncer.class.getName());

    private final SimulatorConfig config;
    private final PrinterIdentity identity;
    private Thread thread;
    private DatagramSocket socket;

    SimulatedAnnouncer(SimulatorConfig config) {
        this.config = config;
        SimulatorConfig.Slicer slicer = config.slicer();
        this.identity =
                new PrinterIdentity(config.serial(), slicer.model(), slicer.name(), slicer.version(), Optional.empty());
    }

    PrinterIdentity identity() {
        return identity;
    }

    void start() throws IOException {
        if (config.slicer().announceTo().isEmpty()) {
            return;
        }
        InetSocketAddress target = config.slicer().announceTo().get();
        socket = new DatagramSocket();
        socket.setBroadcast(true);
        byte[] notify = identity.asAnnouncement(config.bind()).encode();
        thread = Thread.ofVirtual().name("sim-announce").start(() -> {
            try {
                while (true) {
                    socket.send(new DatagramPacket(notify, notify.length, target));
                    Thread.sleep(config.slicer().announceInterval());
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "sim-announce stopped: {0}", e.getMessage());
            } catch (InterruptedException e) {
                // stopped
            }
        });
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
            socket.close();
        }
    }
}
