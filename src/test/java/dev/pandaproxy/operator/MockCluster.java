package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.packaging.ChartRbac;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode with the generated CRD installed (so status is a subresource and generations
 * count), and two clients: the test's own, which may do anything, and the operator's, which impersonates the
 * operator's ServiceAccount and gets only what the chart's RBAC grants. Closing it fails the test when the operator
 * made a request the chart does not allow.
 */
public final class MockCluster implements AutoCloseable {
    final ApplyAsCreateOrReplace api = new ApplyAsCreateOrReplace();
    final KubernetesMockServer server =
            new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
    /** The test's client: every right. */
    public final KubernetesClient admin;
    /** The operator's client: the chart's RBAC. */
    final KubernetesClient operator;

    public MockCluster(ChartRbac rbac) {
        api.enforce(rbac);
        server.init();
        admin = server.createClient();
        operator = server.createClient(builder -> builder.editOrNewConfig()
                .withImpersonateUsername(ChartRbac.OPERATOR_USER)
                .endConfig());
        try (InputStream crd =
                MockCluster.class.getResourceAsStream("/META-INF/fabric8/bambuprinters.pandaproxy.dev-v1.yml")) {
            admin.apiextensions().v1().customResourceDefinitions().load(crd).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the chart's Deployment gives {@code pandaproxy operator} run as a process of its own (leader election on),
     * and fabric8's settings for this API server with the operator's ServiceAccount impersonated, never a kubeconfig
     * or in-cluster account the machine may have.
     */
    public Map<String, String> operatorEnvironment(String watchNamespace, String operatorNamespace) {
        return Map.of(
                "WATCH_NAMESPACE", watchNamespace,
                "LEADER_ELECTION", "true",
                "POD_NAME", "pandaproxy-operator-0",
                "POD_NAMESPACE", operatorNamespace,
                "PROXY_IMAGE", "ghcr.io/pandaproxy/pandaproxy:test",
                "KUBERNETES_MASTER", admin.getConfiguration().getMasterUrl(),
                "KUBERNETES_IMPERSONATE_USERNAME", ChartRbac.OPERATOR_USER,
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    }

    /** Until {@code printers} printers have their Deployment and a status written for their current generation. */
    public void awaitReconciled(String namespace, int printers, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            long deployments = admin.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .size();
            long reconciled = admin.resources(BambuPrinter.class).inNamespace(namespace).list().getItems().stream()
                    .filter(printer -> printer.getStatus() != null
                            && printer.getMetadata()
                                    .getGeneration()
                                    .equals(printer.getStatus().getObservedGeneration()))
                    .count();
            if (deployments == printers && reconciled == printers) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("after " + patience + ": " + deployments + " Deployments, " + reconciled
                        + " printers with a current status, of " + printers);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        operator.close();
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException closeTimedOut) {
            // fabric8 8.0.0's mock server gives Vert.x 5 10 s to close every connection, watches included; CI once
            // took longer after all of a test's assertions had passed (fabric8io/kubernetes-client#8131 catches
            // the same in the mock itself). The operator and its client are closed by now, so only the fixture lags.
            System.getLogger(MockCluster.class.getName())
                    .log(System.Logger.Level.WARNING, "mock API server did not close in time", closeTimedOut);
        }
        assertThat(api.refusedRequests())
                .as("requests of the operator that the chart's RBAC (helm/pandaproxy/templates/rbac.yaml) "
                        + "does not allow, or whose field selector the API server does not support")
                .isEmpty();
    }
}
