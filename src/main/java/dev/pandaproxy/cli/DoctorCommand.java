package dev.pandaproxy.cli;

import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.doctor.Doctor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code pandaproxy doctor}: checks a running proxy the way slicers use it; one line per check. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Check a running proxy as a slicer would: discovery, detect handshake, MQTT and FTPS with",
            "the proxy CA, the camera and HTTP. Takes the proxy's own options and --config.",
            "Exit code 0 when every check passes (or is skipped), 1 otherwise."
        })
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Mixin
    PrinterOptions printer;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "" + Doctor.DEFAULT_TIMEOUT_SECONDS,
            description = "How long each check may wait before it fails (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ProxyConfig config = common.loader(printer.flags(), main.env, Map.of()).proxyConfig();
        List<Doctor.Result> results = new Doctor(config, Duration.ofSeconds(timeoutSeconds)).run();
        PrintWriter out = spec.commandLine().getOut();
        results.forEach(out::println);
        out.flush();
        return results.stream().anyMatch(r -> r.status() == Doctor.Status.FAIL) ? 1 : 0;
    }
}
