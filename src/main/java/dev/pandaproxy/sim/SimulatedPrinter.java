package dev.pandaproxy.sim;

import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.ServerIdentity;
import dev.pandaproxy.tls.SubjectNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLContext;

/**
 * A simulated printer: its own CA and a {@code CN=<serial>} certificate (kept in its state directory, so a
 * restarted simulator looks like the same printer), and the printer's services on the configured ports.
 */
public final class SimulatedPrinter implements AutoCloseable {
    private final SimulatorConfig config;
    private final SimulatedChamberCamera camera;
    private final SimulatedMqtt mqtt;
    private final SimulatedFtp ftp;

    private SimulatedPrinter(SimulatorConfig config, SSLContext context) {
        this.config = config;
        this.camera = new SimulatedChamberCamera(config, context);
        this.mqtt = new SimulatedMqtt(config, context);
        this.ftp = new SimulatedFtp(config, context);
    }

    /** Loads or creates its certificate and starts every service. */
    public static SimulatedPrinter start(SimulatorConfig config) throws IOException {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(config.stateDir(), "PandaProxy Simulator CA");
        ServerIdentity identity = ServerIdentity.loadOrIssue(ca, config.stateDir(), config.serial(),
                SubjectNames.forServer(config.serial(), config.bind(), List.of()));
        SimulatedPrinter printer = new SimulatedPrinter(config, identity.serverContext());
        try {
            printer.camera.start();
            printer.mqtt.start();
            printer.ftp.start();
        } catch (RuntimeException e) {
            printer.close();
            throw e;
        }
        return printer;
    }

    public SimulatedChamberCamera camera() {
        return camera;
    }

    public SimulatedMqtt mqtt() {
        return mqtt;
    }

    public SimulatedFtp ftp() {
        return ftp;
    }

    /** The simulator's CA certificate file, for {@code printer.trust: ca}. */
    public Path caFile() {
        return config.stateDir().resolve("ca.pem");
    }

    @Override
    public void close() {
        camera.close();
        mqtt.close();
        ftp.close();
    }
}
