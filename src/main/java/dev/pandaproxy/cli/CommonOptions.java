package dev.pandaproxy.cli;

import dev.pandaproxy.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command that reads configuration shares. */
final class CommonOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration file (flags and environment win over it)")
    Path config;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "where the proxy CA, certificates and pinned printer fingerprints live (proxy.state-dir)")
    Path stateDir;

    @Option(
            names = {"-v", "--verbose"},
            description = "debug logging")
    boolean verbose;

    /** Configuration sources: the flags given as {@code overrides} (plus {@code --state-dir}), the environment, the file. */
    ConfigLoader loader(Map<String, String> overrides, Map<String, String> env, Map<String, String> defaults) {
        Main.verbose(verbose);
        Map<String, String> flags = new HashMap<>(overrides);
        if (stateDir != null) {
            flags.put("proxy.state-dir", stateDir.toString());
        }
        return ConfigLoader.of(new ConfigLoader.Sources(Optional.ofNullable(config), flags, env, defaults));
    }
}
