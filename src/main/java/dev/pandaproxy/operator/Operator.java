package dev.pandaproxy.operator;

import dev.pandaproxy.config.BackoffConfig;
import dev.pandaproxy.config.ServicePorts;
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
import io.helidon.webserver.observe.metrics.MetricsObserver;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pandaproxy operator}: health on its HTTP port at once, then — as the leader, when leader election is on —
 * the printer controller. A replica that loses the lease stops acting and asks to be restarted clean.
 */
public final class Operator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Operator.class.getName());
    private static final String LEASE = "pandaproxy-operator";

    private final KubernetesClient client;
    private final Settings settings;
    private final WebServer http;
    private final CountDownLatch lostLead = new CountDownLatch(1);
    private volatile PrinterController controller;
    private CompletableFuture<?> election;

    /**
     * @param namespace      the namespace to watch, or every namespace
     * @param leaderElection take a Lease before acting (needed with more than one replica)
     * @param leaseNamespace where the Lease lives (the operator's own namespace)
     * @param identity       this replica's name in the Lease (its pod name)
     * @param images         what printer pods run
     * @param httpPort       health and metrics
     */
    public record Settings(Optional<String> namespace, boolean leaderElection, String leaseNamespace, String identity,
                           ProxyPod.Images images, int httpPort) {
    }

    private Operator(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
        this.http = WebServer.builder()
                .port(settings.httpPort())
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .addObserver(HealthObserver.builder().details(true)
                                .addCheck(this::readiness, HealthCheckType.READINESS, "printers")
                                .build())
                        .addObserver(MetricsObserver.create())
                        .build())
                .build()
                .start();
    }

    public static Operator start(KubernetesClient client, Settings settings) {
        Operator operator = new Operator(client, settings);
        if (settings.leaderElection()) {
            operator.election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName(LEASE)
                    .withLock(new LeaseLock(settings.leaseNamespace(), LEASE, settings.identity()))
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofSeconds(2))
                    .withLeaderCallbacks(new LeaderCallbacks(operator::lead, operator::stopLeading,
                            leader -> LOG.log(Level.INFO, "operator: {0} leads", leader)))
                    .build()).build().start();
        } else {
            operator.lead();
        }
        return operator;
    }

    /** The HTTP port (health, metrics). */
    public int httpPort() {
        return http.port();
    }

    /** Blocks until this replica lost the lease (never, without leader election). */
    public void awaitLostLead() throws InterruptedException {
        lostLead.await();
    }

    @Override
    public void close() {
        if (election != null) {
            election.cancel(true);
        }
        stopController();
        http.stop();
    }

    private void lead() {
        LOG.log(Level.INFO, "operator: reconciling printers in {0}", settings.namespace().orElse("every namespace"));
        PrinterReconciler reconciler = new PrinterReconciler(client, settings.images(),
                new CameraProbe(ServicePorts.PRINTER, Duration.ofSeconds(5)), Clock.systemUTC(), Duration.ofSeconds(30),
                new ProxyStatusReader(), settings.leaseNamespace());
        PrinterController started = new PrinterController(client, settings.namespace(), reconciler,
                new BackoffConfig(Duration.ofSeconds(1), Duration.ofMinutes(5)), 4);
        started.start();
        controller = started;
    }

    private void stopLeading() {
        LOG.log(Level.WARNING, "operator: lost the lease; stopping");
        stopController();
        lostLead.countDown();
    }

    private void stopController() {
        PrinterController current = controller;
        controller = null;
        if (current != null) {
            current.close();
        }
    }

    /** Ready when leading with synced informers, or standing by for the lease (a healthy spare). */
    private HealthCheckResponse readiness() {
        PrinterController current = controller;
        boolean ready = current == null ? settings.leaderElection() : current.synced();
        return HealthCheckResponse.builder().status(ready)
                .detail("role", current == null ? "standby" : "leader")
                .build();
    }
}
