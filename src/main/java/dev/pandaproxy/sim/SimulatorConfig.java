package dev.pandaproxy.sim;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The simulated printer.
 *
 * @param bind       listening address
 * @param serial     serial number (its certificate's CN)
 * @param accessCode LAN access code clients must present
 * @param ports      its service ports (0 picks free ports)
 * @param stateDir   where its CA and certificate are kept, so it presents the same certificate after a restart
 * @param camera     chamber camera settings
 * @param slicer     what slicers see: identity, announcements, detect ports
 */
public record SimulatorConfig(
        String bind,
        String serial,
        Secret accessCode,
        ServicePorts ports,
        Path stateDir,
        Camera camera,
        Slicer slicer) {
    /** A simulator that announces itself nowhere and answers detect on free ports. */
    public SimulatorConfig(
            String bind, String serial, Secret accessCode, ServicePorts ports, Path stateDir, Camera camera) {
        this(bind, serial, accessCode, ports, stateDir, camera, Slicer.QUIET);
    }

    /**
     * @param model            model code in announcements and detect answers ({@code C12}: P1S)
     * @param name             printer name
     * @param version          firmware version
     * @param announceTo       where its NOTIFY goes (a printer broadcasts to 255.255.255.255:2021), if anywhere
     * @param announceInterval time between announcements
     * @param detectPort       plain detect port (0: a free one)
     * @param detectTlsPort    TLS detect port (0: a free one)
     */
    public record Slicer(
            String model,
            String name,
            String version,
            Optional<InetSocketAddress> announceTo,
            Duration announceInterval,
            int detectPort,
            int detectTlsPort) {
        public static final Slicer QUIET =
                new Slicer("C12", "Simulated P1S", "01.07.00.00", Optional.empty(), Duration.ofSeconds(10), 0, 0);
    }

    /**
     * @param fps        frames per second
     * @param frameBytes approximate JPEG size (0: the natural size of the test pattern)
     * @param width      image width
     * @param height     image height
     * @param kind       chamber camera (A1/P1) or RTSPS (X1/H2/P2)
     */
    public record Camera(double fps, int frameBytes, int width, int height, Kind kind) {
        /** The printer's 1280×720, at a relaxed frame rate. */
        public static final Camera DEFAULT = new Camera(2, 0, 1280, 720);

        /** A chamber camera (A1/P1). */
        public Camera(double fps, int frameBytes, int width, int height) {
            this(fps, frameBytes, width, height, Kind.CHAMBER);
        }
    }

    /** Which camera the simulated printer has. */
    public enum Kind {
        /** A1/P1: JPEG frames on port 6000. */
        CHAMBER,
        /** X1/H2/P2: H.264 over RTSPS on port 322; port 6000 is a (TLS) file tunnel. */
        RTSP
    }
}
