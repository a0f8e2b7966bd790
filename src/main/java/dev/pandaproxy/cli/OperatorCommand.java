package dev.pandaproxy.cli;

import dev.pandaproxy.config.ConfigException;
import dev.pandaproxy.operator.Operator;
import dev.pandaproxy.operator.desired.ProxyPod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code pandaproxy operator}: runs one proxy pod per {@code BambuPrinter} resource. */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
            "Run the Kubernetes operator: one proxy pod per BambuPrinter resource.",
            "Settings also come from the environment: WATCH_NAMESPACE, LEADER_ELECTION, POD_NAME, POD_NAMESPACE,",
            "PROXY_IMAGE, MEDIAMTX_IMAGE, IMAGE_PULL_SECRETS (comma list), PRINTER_RESOURCES (JSON:",
            "{\"proxy\": {\"requests\": …, \"limits\": …}, \"mediamtx\": …})."
        })
final class OperatorCommand implements Callable<Integer> {
    private static final String MEDIAMTX = "bluenviron/mediamtx:1.20.1";

    @ParentCommand
    Main main;

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            description = "watch this namespace only (default: WATCH_NAMESPACE, else every namespace)")
    String namespace;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description = "health and metrics (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(
            names = {"-v", "--verbose"},
            description = "debug logging")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Main.verbose(verbose);
        Optional<String> watched = Optional.ofNullable(namespace).or(() -> env("WATCH_NAMESPACE"));
        String podNamespace = env("POD_NAMESPACE").orElse("default");
        String proxyImage = env("PROXY_IMAGE")
                .orElseThrow(
                        () -> new ConfigException(
                                "PROXY_IMAGE is not set: the image printer pods run (the Helm chart sets it to the operator's own image)"));
        ProxyPod.Images images = new ProxyPod.Images(
                proxyImage,
                env("MEDIAMTX_IMAGE").orElse(MEDIAMTX),
                env("IMAGE_PULL_SECRETS")
                        .map(names -> List.of(names.split("\\s*,\\s*")))
                        .orElse(List.of()),
                env("PRINTER_RESOURCES").map(ProxyPod.Resources::fromJson).orElse(new ProxyPod.Resources(null, null)));
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = Operator.start(
                client,
                new Operator.Settings(
                        watched,
                        Boolean.parseBoolean(env("LEADER_ELECTION").orElse("true")),
                        podNamespace,
                        env("POD_NAME").orElse("pandaproxy-operator"),
                        images,
                        httpPort,
                        Operator.LEASE_DURATION));
        // a replica that lost the Lease, or could not start, restarts clean rather than stand by looking healthy; on
        // a thread of its own, so that the shutdown hooks never wait for the thread that asked to exit
        operator.failed()
                .thenAcceptAsync(
                        reason -> {
                            System.getLogger(OperatorCommand.class.getName())
                                    .log(
                                            System.Logger.Level.ERROR,
                                            "operator: exiting with status 1 so that Kubernetes starts this replica afresh: {0}",
                                            reason);
                            System.exit(1);
                        },
                        task -> Thread.ofVirtual().start(task));
        return Shutdown.awaitSignal(List.of(client, operator));
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(main.env.get(name)).filter(value -> !value.isBlank());
    }
}
