package dev.pandaproxy.cli;

import dev.pandaproxy.sim.SimulatorConfig;
import picocli.CommandLine.Option;

/** The simulated camera's options, shared by {@code simulate} and {@code demo}. */
final class CameraOptions {
    @Option(names = "--fps", defaultValue = "2", description = "camera frames per second (default ${DEFAULT-VALUE})")
    double fps;

    @Option(
            names = "--frame-size",
            paramLabel = "BYTES",
            defaultValue = "0",
            description = "pad each JPEG to about this size (default: the image's own size)")
    int frameBytes;

    @Option(
            names = "--camera-type",
            paramLabel = "TYPE",
            defaultValue = "chamber",
            description = "the simulated printer's camera: chamber (A1/P1, JPEG on 6000) or rtsp (X1/H2/P2, H.264 over "
                    + "RTSPS on 322; needs ffmpeg to encode the test pattern) (default ${DEFAULT-VALUE})")
    SimulatorConfig.Kind kind;

    /** The simulated camera these options describe. */
    SimulatorConfig.Camera simulated() {
        SimulatorConfig.Camera size = SimulatorConfig.Camera.DEFAULT;
        return new SimulatorConfig.Camera(fps, frameBytes, size.width(), size.height(), kind);
    }
}
