package dev.pandaproxy.cli;

import picocli.CommandLine.Option;

/** The simulated camera's options, shared by {@code simulate} and {@code demo}. */
final class CameraOptions {
    @Option(names = "--fps", defaultValue = "2", description = "camera frames per second (default ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--frame-size", paramLabel = "BYTES", defaultValue = "0",
            description = "pad each JPEG to about this size (default: the image's own size)")
    int frameBytes;
}
