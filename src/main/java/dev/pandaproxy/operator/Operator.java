package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.http.MetricsService;
import dev.pandaproxy.operator.desired.ProxyPod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code pandaproxy operator}: health on its HTTP port at once, then — as the leader, when leader election is on —
 * the printer controller. A replica that loses the Lease, or whose controller cannot start, stops acting for good:
 * {@link #failed()} says why, readiness fails, and the command exits so that Kubernetes starts it afresh. A standby
 * replica is ready while it can read the Lease (during a rolling update the new pod must become ready before the
 * old one, the leader, goes away), and not ready while its calls to the Lease fail.
 */
public final class Operator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Operator.class.getName());
    private static final String LEASE = "pandaproxy-operator";
    /** How long a Lease stays another replica's after its last renewal: the longest a failover waits. */
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    /** The camera probe's pins and CA bundles: the JVM's scratch directory (the chart's emptyDir on /tmp). */
    private static final Path PROBE_STATE = Path.of(System.getProperty("java.io.tmpdir"), "pandaproxy-operator");

    private final KubernetesClient client;
    private final Settings settings;
    private final WebServer http;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final ObservedLock lock;
    private volatile PrinterController controller;
    private volatile String leader;
    private volatile boolean closing;
    private CompletableFuture<?> election;

    /**
     * @param namespace      the namespace to watch, or every namespace
     * @param leaderElection take a Lease before acting (needed with more than one replica)
     * @param leaseNamespace where the Lease lives (the operator's own namespace)
     * @param identity       this replica's name in the Lease (its pod name)
     * @param images         what printer pods run
     * @param httpPort       health and metrics
     * @param leaseDuration  how long the Lease holds without renewal ({@link #LEASE_DURATION}; shorter in tests); the
     *                       leader renews it every {@code leaseDuration / 7} and gives up after {@code 2/3} of it
     */
    public record Settings(
            Optional<String> namespace,
            boolean leaderElection,
            String leaseNamespace,
            String identity,
            ProxyPod.Images images,
            int httpPort,
            Duration leaseDuration) {}

    private Operator(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
        this.lock = settings.leaderElection()
                ? new ObservedLock(
                        new LeaseLock(settings.leaseNamespace(), LEASE, settings.identity()),
                        settings.leaseNamespace() + "/" + LEASE)
                : null;
        this.http = WebServer.builder()
                .port(settings.httpPort())
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .addCheck(this::readiness, HealthCheckType.READINESS, "printers")
                                .build())
                        .build())
                .routing(routing -> routing.register(MetricsService.PATH, new MetricsService(this::meters)))
                .build()
                .start();
    }

    public static Operator start(KubernetesClient client, Settings settings) {
        Operator operator = new Operator(client, settings);
        if (settings.leaderElection()) {
            Duration lease = settings.leaseDuration();
            CompletableFuture<?> election = client.leaderElector()
                    .withConfig(new LeaderElectionConfigBuilder()
                            .withName(LEASE)
                            .withLock(operator.lock)
                            .withLeaseDuration(lease)
                            .withRenewDeadline(lease.multipliedBy(2).dividedBy(3))
                            .withRetryPeriod(lease.dividedBy(7))
                            .withLeaderCallbacks(
                                    new LeaderCallbacks(operator::lead, operator::stopLeading, operator::newLeader))
                            .build())
                    .build()
                    .start();
            operator.election = election;
            // the elector ends only when this replica stopped leading or was closed; either way it acts no more
            election.whenComplete((ignored, error) ->
                    operator.fail("leader election ended" + (error == null ? "" : ": " + error.getMessage())));
            // a replica that failed stops renewing, so that another one takes over when the Lease expires
            operator.failure.thenRun(() -> election.cancel(true));
        } else {
            operator.lead();
        }
        return operator;
    }

    /** The HTTP port (health, metrics). */
    public int httpPort() {
        return http.port();
    }

    /** Completes, with the reason, when this replica stopped acting for good (lost the Lease, could not start). */
    public CompletionStage<String> failed() {
        return failure.minimalCompletionStage();
    }

    @Override
    public void close() {
        closing = true;
        if (election != null) {
            election.cancel(true);
        }
        stopController();
        http.stop();
    }

    private void lead() {
        if (failure.isDone()) {
            return;
        }
        LOG.log(
                Level.INFO,
                "operator: reconciling printers in {0}",
                settings.namespace().orElse("every namespace"));
        try {
            PrinterReconciler reconciler = new PrinterReconciler(
                    client,
                    settings.images(),
                    new CameraProbe(ServicePorts.PRINTER, Duration.ofSeconds(5), PROBE_STATE),
                    Clock.systemUTC(),
                    Duration.ofSeconds(30),
                    new ProxyStatusReader(),
                    ProxyReports.EVERY,
                    settings.leaseNamespace());
            PrinterController started = new PrinterController(
                    client,
                    settings.namespace(),
                    reconciler,
                    new BackoffConfig(Duration.ofSeconds(1), Duration.ofMinutes(5)),
                    4);
            controller = started;
            started.start(this::fail);
        } catch (RuntimeException e) {
            // e.g. a list the RBAC forbids: the informers never sync, and standing by would hide it
            fail("could not start reconciling printers: " + e.getMessage());
        }
    }

    private void newLeader(String identity) {
        leader = identity;
        LOG.log(Level.INFO, "operator: {0} leads", identity);
    }

    private void stopLeading() {
        String holder = leader;
        fail("lost the Lease " + settings.leaseNamespace() + "/" + LEASE
                + (holder != null && !holder.equals(settings.identity()) ? " to " + holder : "")
                + lock.lastError().map(error -> " (" + error + ")").orElse(""));
    }

    /** The first failure wins; what follows from it (the elector's own stop, a closing informer) adds nothing. */
    private void fail(String reason) {
        if (closing || !failure.complete(reason)) {
            return;
        }
        LOG.log(Level.ERROR, "operator: stopped reconciling printers: {0}", reason);
        stopController();
    }

    private void stopController() {
        PrinterController current = controller;
        controller = null;
        if (current != null) {
            current.close();
        }
    }

    private MetricSnapshots meters() {
        PrinterController current = controller;
        return current == null
                ? OperatorMetrics.snapshots(false, 0, 0)
                : OperatorMetrics.snapshots(true, current.printers(), current.queued());
    }

    /**
     * Ready when leading with synced informers, or standing by while the Lease answers; never after a failure.
     */
    private HealthCheckResponse readiness() {
        String failed = failure.getNow(null);
        if (failed != null) {
            return HealthCheckResponse.builder()
                    .status(false)
                    .detail("role", "failed")
                    .detail("reason", failed)
                    .build();
        }
        PrinterController current = controller;
        if (current != null) {
            return HealthCheckResponse.builder()
                    .status(current.synced())
                    .detail("role", "leader")
                    .build();
        }
        if (lock == null) {
            return HealthCheckResponse.builder()
                    .status(false)
                    .detail("role", "starting")
                    .build();
        }
        Optional<String> error = lock.lastError();
        HealthCheckResponse.Builder standby =
                HealthCheckResponse.builder().status(error.isEmpty()).detail("role", "standby");
        Optional.ofNullable(leader).ifPresent(holder -> standby.detail("leader", holder));
        error.ifPresent(text -> standby.detail("reason", text));
        return standby.build();
    }
}
