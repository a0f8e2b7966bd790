package dev.pandaproxy.sim;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;

import java.nio.file.Path;

/**
 * The simulated printer.
 *
 * @param bind       listening address
 * @param serial     serial number (its certificate's CN)
 * @param accessCode LAN access code clients must present
 * @param ports      its service ports (0 picks free ports)
 * @param stateDir   where its CA and certificate are kept, so it presents the same certificate after a restart
 * @param camera     chamber camera settings
 */
public record SimulatorConfig(String bind, String serial, Secret accessCode, ServicePorts ports, Path stateDir,
                              Camera camera) {
    /**
     * @param fps        frames per second
     * @param frameBytes approximate JPEG size (0: the natural size of the test pattern)
     * @param width      image width
     * @param height     image height
     */
    public record Camera(double fps, int frameBytes, int width, int height) {
        /** The printer's 1280×720, at a relaxed frame rate. */
        public static final Camera DEFAULT = new Camera(2, 0, 1280, 720);
    }
}
