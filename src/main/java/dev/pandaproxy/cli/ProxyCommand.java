package dev.pandaproxy.cli;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.ProxyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pandaproxy proxy}: the per-printer proxy, with the original PandaProxy's flags and variables. */
@Command(name = "proxy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {"Run the proxy in front of one printer.",
                "Flags win over environment variables, which win over the --config file."})
final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Option(names = {"-p", "--printer-ip"}, paramLabel = "HOST", description = "printer address (PRINTER_IP)")
    String printerIp;

    @Option(names = {"-a", "--access-code"}, paramLabel = "CODE",
            description = "printer LAN access code (ACCESS_CODE; prefer the variable: flags show in process lists)")
    String accessCode;

    @Option(names = {"-s", "--serial-number"}, paramLabel = "SERIAL", description = "printer serial number (SERIAL_NUMBER)")
    String serial;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS", description = "listening address (BIND_ADDRESS, default 0.0.0.0)")
    String bind;

    @Option(names = "--services", paramLabel = "LIST", description = "comma list of camera, mqtt, ftp (SERVICES, default camera)")
    String services;

    @Option(names = "--enable-all", description = "enable every service (ENABLE_ALL)")
    boolean enableAll;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        putIfSet(flags, "printer.host", printerIp);
        putIfSet(flags, "printer.access-code", accessCode);
        putIfSet(flags, "printer.serial", serial);
        putIfSet(flags, "proxy.bind", bind);
        putIfSet(flags, "proxy.services", services);
        if (enableAll) {
            flags.put("proxy.enable-all", "true");
        }
        ProxyConfig config = common.loader(flags, main.env, Map.of()).proxyConfig();
        return Shutdown.awaitSignal(List.of(PandaProxy.start(config)));
    }

    private static void putIfSet(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
