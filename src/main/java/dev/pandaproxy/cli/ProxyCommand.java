package dev.pandaproxy.cli;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.ProxyConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code pandaproxy proxy}: the per-printer proxy, with the original PandaProxy's flags and variables. */
@Command(
        name = "proxy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Run the proxy in front of one printer.",
            "Flags win over environment variables, which win over the --config file."
        })
final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    CommonOptions common;

    @Mixin
    PrinterOptions printer;

    @Override
    public Integer call() throws Exception {
        ProxyConfig config = common.loader(printer.flags(), main.env, Map.of()).proxyConfig();
        return Shutdown.awaitSignal(List.of(PandaProxy.start(config)));
    }
}
