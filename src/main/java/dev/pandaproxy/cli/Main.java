package dev.pandaproxy.cli;

import dev.pandaproxy.Version;
import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.logging.common.LogConfig;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pandaproxy <command>}: the one entry point of the jar and the container image. */
@Command(
        name = "pandaproxy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Share one BambuLab printer between many clients.")
public final class Main {
    /** Exit code for bad configuration or usage (as picocli uses for usage errors). */
    public static final int EXIT_CONFIG = 2;

    /** Held strongly: JUL keeps loggers weakly, and a collected logger would lose the {@code -v} level. */
    private static final Logger PANDAPROXY_LOGGER = Logger.getLogger("dev.pandaproxy");

    /**
     * The commands, in the order the help lists them. picocli builds a command's model by reflection when it is added
     * (for all of these ~0.4 s of the proxy's start-up, issue 15), so a command line that names one gets that one.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    final Map<String, String> env;

    private Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // before anything touches TLS or AWT: the policy edits JVM-wide defaults; the simulator draws images
        TlsPolicy.install();
        System.setProperty("java.awt.headless", "true");
        LogConfig.configureRuntime();
        System.exit(
                execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given environment and streams; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new Main(env));
        Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            commandLine.addSubcommand(named.get());
        } else { // help, the version, or no or an unknown command: all of them, for the usage message
            COMMANDS.values().forEach(command -> commandLine.addSubcommand(command.get()));
            commandLine.addSubcommand(new CommandLine.HelpCommand());
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("pandaproxy: " + e.getMessage() + " (see "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return EXIT_CONFIG;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                err.println("pandaproxy: " + e.getMessage());
                return EXIT_CONFIG;
            }
            err.println("pandaproxy: " + e);
            return 1;
        });
        return commandLine.execute(args);
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("proxy", ProxyCommand::new);
        commands.put("demo", DemoCommand::new);
        commands.put("simulate", SimulateCommand::new);
        commands.put("ca", CaCommand::new);
        commands.put("doctor", DoctorCommand::new);
        commands.put("operator", OperatorCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    /** {@code -v}: debug detail from PandaProxy's own loggers. */
    static void verbose(boolean enabled) {
        if (enabled) {
            Logger root = Logger.getLogger("");
            for (var handler : root.getHandlers()) {
                handler.setLevel(Level.ALL);
            }
            PANDAPROXY_LOGGER.setLevel(Level.FINE);
        }
    }

    /** Prints the build's version for {@code -V}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pandaproxy " + Version.current(), "Java " + Runtime.version()};
        }
    }
}
