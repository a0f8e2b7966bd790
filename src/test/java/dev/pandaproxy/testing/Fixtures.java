package dev.pandaproxy.testing;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.chamber.ChamberFrame;
import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.tls.PrinterTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A simulated printer and a proxy in front of it, on loopback and free ports, for end-to-end tests. */
public final class Fixtures {
    public static final String SERIAL = "01P00A000000001";
    public static final String CODE = "12345678";

    private Fixtures() {}

    /** A simulated printer with small, fast frames on a free port. */
    public static SimulatedPrinter printer(Path stateDir) {
        return printer(stateDir, new SimulatorConfig.Camera(20, 0, 320, 180), 0);
    }

    /** A simulated X1/H2/P2 printer: H.264 over RTSPS, and a file tunnel on port 6000. Needs ffmpeg. */
    public static SimulatedPrinter rtspPrinter(Path stateDir) {
        RealPeers.require("ffmpeg");
        return printer(stateDir, new SimulatorConfig.Camera(10, 0, 320, 180, SimulatorConfig.Kind.RTSP), 0);
    }

    /** A simulated printer with the given camera on {@code chamberPort} (0: a free one). */
    public static SimulatedPrinter printer(Path stateDir, SimulatorConfig.Camera camera, int chamberPort) {
        try {
            return SimulatedPrinter.start(new SimulatorConfig(
                    "127.0.0.1", SERIAL, Secret.of(CODE), new ServicePorts(chamberPort, 0, 0, 0), stateDir, camera));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings (configuration keys) for a proxy in front of {@code printer}: loopback, free ports. */
    public static Map<String, String> settings(SimulatedPrinter printer, Path stateDir) {
        Map<String, String> settings = new HashMap<>();
        settings.put("printer.host", "127.0.0.1");
        settings.put("printer.serial", SERIAL);
        settings.put("printer.access-code", CODE);
        settings.put("printer.ports.chamber", String.valueOf(printer.camera().port()));
        settings.put("printer.ports.mqtt", String.valueOf(printer.mqtt().port()));
        settings.put("printer.ports.ftp", String.valueOf(printer.ftp().port()));
        if (printer.rtsp().port() > 0) {
            settings.put("printer.ports.rtsp", String.valueOf(printer.rtsp().port()));
        }
        settings.put("printer.reconnect.initial", "100ms");
        settings.put("printer.reconnect.max", "500ms");
        settings.put("proxy.bind", "127.0.0.1");
        settings.put("proxy.state-dir", stateDir.toString());
        settings.put("proxy.services", "camera");
        settings.put("camera.mode", "chamber"); // no probing: tests that want detection ask for it
        for (String port : new String[] {"chamber", "mqtt", "ftp", "rtsp", "http", "https"}) {
            settings.put("proxy.ports." + port, "0");
        }
        return settings;
    }

    /** The configuration those settings describe, loaded the way the command line loads it. */
    public static ProxyConfig config(Map<String, String> settings) {
        return ConfigLoader.of(new ConfigLoader.Sources(Optional.empty(), settings, Map.of(), Map.of()))
                .proxyConfig();
    }

    public static PandaProxy proxy(Map<String, String> settings) {
        try {
            return PandaProxy.start(config(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TLS for a client that verifies the proxy the way a slicer does: the proxy CA, and CN = serial. */
    public static SSLContext trustingProxy(Path proxyStateDir) {
        try {
            return PrinterTrust.create(
                            TrustMode.CA,
                            Optional.of(proxyStateDir.resolve("ca.pem")),
                            proxyStateDir.resolve("unused"),
                            SERIAL)
                    .clientContext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * TLS for a client that trusts the proxy CA the way browsers and curl do: by the CA alone, with the host
     * name checked by the client (the proxy's certificate names 127.0.0.1).
     */
    public static SSLContext trustingCa(Path proxyStateDir) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null, MqttClients.trust(proxyStateDir.resolve("ca.pem")).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 (hex) of a frame as it travels: header then image, as the simulator records it. */
    public static String digest(ChamberFrame frame) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(frame.header());
            return HexFormat.of().formatHex(sha256.digest(frame.jpeg()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
