package dev.pandaproxy.cli;

import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pandaproxy simulate}: a simulated printer on its own. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Run a simulated printer (chamber camera, MQTT) to try PandaProxy or a client without a printer.")
final class SimulateCommand implements Callable<Integer> {
    static final String DEMO_SERIAL = "01S00DEMO000001";
    static final String DEMO_ACCESS_CODE = "12345678";
    /** The simulated printer listens on its ports plus this, which needs no root. */
    static final int PRINTER_OFFSET = 20_000;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-b", "--bind"},
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "listening address (default ${DEFAULT-VALUE})")
    String bind;

    @Option(
            names = {"-s", "--serial-number"},
            paramLabel = "SERIAL",
            defaultValue = DEMO_SERIAL,
            description = "serial number, the CN of its certificate (default ${DEFAULT-VALUE})")
    String serial;

    @Option(
            names = {"-a", "--access-code"},
            paramLabel = "CODE",
            defaultValue = DEMO_ACCESS_CODE,
            description = "access code clients must send (default ${DEFAULT-VALUE})")
    String accessCode;

    @Option(
            names = "--port-offset",
            paramLabel = "N",
            defaultValue = "" + PRINTER_OFFSET,
            description = "listen on the printer's ports plus N (default ${DEFAULT-VALUE}: camera on "
                    + (ServicePorts.CHAMBER + PRINTER_OFFSET) + ", MQTT on " + (ServicePorts.MQTT + PRINTER_OFFSET)
                    + ", FTPS on " + (ServicePorts.FTP + PRINTER_OFFSET) + ")")
    int portOffset;

    @Mixin
    CameraOptions camera;

    @Option(
            names = "--announce-to",
            paramLabel = "HOST:PORT",
            description = "send the printer's announcements (NOTIFY) here, as a printer broadcasts them to port "
                    + ServicePorts.DISCOVERY + " (default: nowhere)")
    String announceTo;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "where its certificate is kept (default: <state dir>/simulator)")
    Path stateDir;

    @Option(
            names = {"-v", "--verbose"},
            description = "debug logging")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Main.verbose(verbose);
        Optional<InetSocketAddress> announce = Optional.ofNullable(announceTo).map(SimulateCommand::hostAndPort);
        SimulatedPrinter printer = SimulatedPrinter.start(config(
                bind,
                serial,
                accessCode,
                portOffset,
                camera.simulated(),
                stateDir != null
                        ? stateDir
                        : ConfigLoader.defaultStateDir(main.env).resolve("simulator"),
                announce,
                Duration.ofSeconds(10)));
        String cameraLine = printer.rtsp().port() > 0
                ? "RTSPS camera    rtsps://bblp:%s@%s:%d/streaming/live/1 (file tunnel on %d)"
                        .formatted(
                                accessCode,
                                bind,
                                printer.rtsp().port(),
                                printer.camera().port())
                : "chamber camera  TLS %s:%d".formatted(bind, printer.camera().port());
        spec.commandLine()
                .getOut()
                .printf(
                        """
                Simulated printer %s (access code %s)
                  %s
                  MQTT            TLS %s:%d   user bblp, topics device/%s/report and /request
                  FTPS            implicit TLS %s:%d, files in %s
                  detect          %s:%d (plain) and %d (TLS)
                  certificate     CN=%s, CA in %s
                Press Ctrl+C to stop.
                """,
                        serial,
                        accessCode,
                        cameraLine,
                        bind,
                        printer.mqtt().port(),
                        serial,
                        bind,
                        printer.ftp().port(),
                        printer.ftp().root(),
                        bind,
                        printer.detect().plainPort(),
                        printer.detect().tlsPort(),
                        serial,
                        printer.caFile());
        spec.commandLine().getOut().flush();
        return Shutdown.awaitSignal(List.of(printer));
    }

    static SimulatorConfig config(
            String bind,
            String serial,
            String accessCode,
            int portOffset,
            SimulatorConfig.Camera camera,
            Path stateDir,
            Optional<InetSocketAddress> announceTo,
            Duration announceInterval) {
        SimulatorConfig.Slicer quiet = SimulatorConfig.Slicer.QUIET;
        return new SimulatorConfig(
                bind,
                serial,
                Secret.of(accessCode),
                ServicePorts.PRINTER.plus(portOffset),
                stateDir,
                camera,
                new SimulatorConfig.Slicer(
                        quiet.model(),
                        quiet.name(),
                        quiet.version(),
                        announceTo,
                        announceInterval,
                        ServicePorts.DETECT + portOffset,
                        ServicePorts.DETECT_TLS + portOffset));
    }

    private static InetSocketAddress hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        try {
            return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "--announce-to " + text + ": use HOST:PORT, e.g. 127.0.0.1:" + ServicePorts.DISCOVERY);
        }
    }
}
