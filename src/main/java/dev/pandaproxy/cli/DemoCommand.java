package dev.pandaproxy.cli;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.status.UpstreamStatus;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pandaproxy demo}: a simulated printer and the proxy in front of it, in one process, without root. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Run a simulated printer and the proxy in front of it, and print how to connect.",
            "Printer on its ports + " + SimulateCommand.PRINTER_OFFSET + ", proxy on its ports + "
                    + DemoCommand.PROXY_OFFSET + ", HTTP on " + ServicePorts.HTTP + ", HTTPS on " + ServicePorts.HTTPS
                    + "; all can be changed."
        })
final class DemoCommand implements Callable<Integer> {
    private static final Duration ANNOUNCE_INTERVAL = Duration.ofSeconds(5);
    /** The proxy listens on the printer's ports plus this, which needs no root. */
    static final int PROXY_OFFSET = 10_000;

    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-b", "--bind"},
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "proxy listening address (default ${DEFAULT-VALUE}; 0.0.0.0 to try it from another device)")
    String bind;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "" + ServicePorts.HTTP,
            description = "HTTP port (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
            names = "--https-port",
            paramLabel = "PORT",
            defaultValue = "" + ServicePorts.HTTPS,
            description = "HTTPS port, where the camera is (default ${DEFAULT-VALUE})")
    int httpsPort;

    @Option(
            names = "--printer-offset",
            paramLabel = "N",
            defaultValue = "" + SimulateCommand.PRINTER_OFFSET,
            description = "simulated printer on its ports + N (default ${DEFAULT-VALUE})")
    int printerOffset;

    @Option(
            names = "--proxy-offset",
            paramLabel = "N",
            defaultValue = "" + PROXY_OFFSET,
            description = "proxy on the printer's ports + N (default ${DEFAULT-VALUE})")
    int proxyOffset;

    @Mixin
    CameraOptions camera;

    @Override
    public Integer call() throws Exception {
        Path demoState = common.stateDir != null
                ? common.stateDir
                : ConfigLoader.defaultStateDir(main.env).resolve("demo");
        // the simulated printer announces itself to the proxy, as a printer on the same network would
        SimulatedPrinter printer = SimulatedPrinter.start(SimulateCommand.config(
                "127.0.0.1",
                SimulateCommand.DEMO_SERIAL,
                SimulateCommand.DEMO_ACCESS_CODE,
                printerOffset,
                camera.simulated(),
                demoState.resolve("simulator"),
                Optional.of(new InetSocketAddress("127.0.0.1", ServicePorts.DISCOVERY + proxyOffset)),
                ANNOUNCE_INTERVAL));
        PandaProxy proxy;
        Path doctorConfig;
        try {
            Settings settings = settings(printer, demoState);
            proxy = PandaProxy.start(common.loader(settings.forced(), main.env, settings.defaults())
                    .proxyConfig());
            doctorConfig = DemoConfigFile.write(demoState.resolve("demo-proxy.yaml"), settings.merged());
        } catch (RuntimeException e) {
            printer.close();
            throw e;
        }
        printInstructions(spec.commandLine().getOut(), proxy, demoState, doctorConfig);
        return Shutdown.awaitSignal(List.of(printer, proxy));
    }

    /** The demo's settings: what must be so (the printer is the simulator) and what may be changed. */
    private record Settings(Map<String, String> forced, Map<String, String> defaults) {
        Map<String, String> merged() {
            Map<String, String> merged = new HashMap<>(defaults);
            merged.putAll(forced);
            return merged;
        }
    }

    private Settings settings(SimulatedPrinter printer, Path demoState) {
        // the printer is the simulator, whatever the environment says
        Map<String, String> forced = new HashMap<>();
        forced.put("printer.host", "127.0.0.1");
        forced.put("printer.serial", SimulateCommand.DEMO_SERIAL);
        forced.put("printer.access-code", SimulateCommand.DEMO_ACCESS_CODE);
        forced.put("printer.ports.chamber", String.valueOf(printer.camera().port()));
        forced.put("printer.ports.mqtt", String.valueOf(printer.mqtt().port()));
        forced.put("printer.ports.ftp", String.valueOf(printer.ftp().port()));
        if (printer.rtsp().port() > 0) {
            forced.put("printer.ports.rtsp", String.valueOf(printer.rtsp().port()));
        }
        forced.put("proxy.state-dir", demoState.toString());
        // the proxy side keeps the demo's defaults unless the file or the environment says otherwise
        ServicePorts ports = ServicePorts.PRINTER.plus(proxyOffset);
        Map<String, String> defaults = new HashMap<>();
        defaults.put("proxy.bind", bind);
        defaults.put("proxy.services", "camera,mqtt,ftp");
        defaults.put("proxy.ports.chamber", String.valueOf(ports.chamber()));
        defaults.put("proxy.ports.mqtt", String.valueOf(ports.mqtt()));
        defaults.put("proxy.ports.ftp", String.valueOf(ports.ftp()));
        defaults.put("proxy.ports.rtsp", String.valueOf(ports.rtsp()));
        defaults.put("proxy.ports.http", String.valueOf(httpPort));
        defaults.put("proxy.ports.https", String.valueOf(httpsPort));
        defaults.put("proxy.ports.discovery", String.valueOf(ServicePorts.DISCOVERY + proxyOffset));
        defaults.put("proxy.ports.detect", String.valueOf(ServicePorts.DETECT + proxyOffset));
        defaults.put("proxy.ports.detect-tls", String.valueOf(ServicePorts.DETECT_TLS + proxyOffset));
        // slicers on this machine see the demo printer; the local network does not
        defaults.put("slicer.discovery", "true");
        defaults.put("slicer.interfaces", loopbackInterface());
        defaults.put("slicer.announce-interval", ANNOUNCE_INTERVAL.toSeconds() + "s");
        return new Settings(forced, defaults);
    }

    private static String loopbackInterface() {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress())
                    .getName();
        } catch (SocketException e) {
            return "lo";
        }
    }

    private static void printInstructions(PrintWriter out, PandaProxy proxy, Path demoState, Path doctorConfig) {
        String code = SimulateCommand.DEMO_ACCESS_CODE;
        String host = proxy.status().services().getFirst().listen().replaceFirst(":\\d+$", "");
        String address = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        String http = "http://" + address + ":" + proxy.httpPort();
        String https = address + ":" + proxy.httpsPort();
        Path ca = demoState.resolve("ca.pem");
        String camera = proxy.camera()
                .map(chamber -> """
                  Camera in a browser   https://%1$s/camera/stream.mjpeg      (user bblp, password %2$s;
                                        import the proxy CA below into the browser, or accept its warning)
                  One snapshot          curl --cacert %5$s -u bblp:%2$s -o frame.jpg https://%1$s/camera/snapshot.jpg
                  With ffmpeg           ffplay https://bblp:%2$s@%1$s/camera/stream.mjpeg
                  Chamber camera (TLS)  %3$s:%4$d  the printer's own protocol: point Home Assistant or
                                        bambulabs_api here instead of the printer (same access code)
                """.formatted(https, code, host, chamber.port(), ca))
                .or(() -> proxy.rtspCamera()
                        .map(rtsp -> rtsp.status()
                                .upstream()
                                .flatMap(UpstreamStatus::lastError)
                                .map(off -> "  RTSPS camera          off: " + off + "\n")
                                .orElse("""
                  RTSPS camera          ffplay -rtsp_transport tcp rtsps://bblp:%s@%s:%d/streaming/live/1
                """.formatted(code, host, rtsp.port()))))
                .orElse("  Camera                off (see the log)\n");
        int mqttPort = proxy.mqtt().orElseThrow().port();
        int ftpPort = proxy.ftp().orElseThrow().port();
        out.printf(
                """

                PandaProxy demo: a simulated printer (serial %s, access code %s) and the proxy in front of it.

                  The page              https://%s/   camera, printer, clients, setup (user bblp, password %s)
                %s  MQTT (TLS)            %s:%d  user bblp, password %s, topic device/%s/report, e.g.
                                        mosquitto_sub -h %s -p %d --insecure --cafile %s -u bblp -P %s -t 'device/+/report'
                  FTPS (implicit TLS)   ftps://%s:%d  user bblp, password %s, e.g.
                                        curl --cacert %s -u bblp:%s ftps://%s:%d/
                  Status and metrics    %s/status   %s/observe/metrics   %s/observe/health
                  Proxy CA              %s/tls/ca.pem  or  %s
                  Check it as a slicer  ./mvnw -Prun -Dargs="doctor --config %s"

                Press Ctrl+C to stop.
                """,
                SimulateCommand.DEMO_SERIAL,
                code,
                https,
                code,
                camera,
                host,
                mqttPort,
                code,
                SimulateCommand.DEMO_SERIAL,
                host,
                mqttPort,
                ca,
                code,
                host,
                ftpPort,
                code,
                ca,
                code,
                host,
                ftpPort,
                http,
                http,
                http,
                http,
                ca,
                doctorConfig);
        out.flush();
    }
}
