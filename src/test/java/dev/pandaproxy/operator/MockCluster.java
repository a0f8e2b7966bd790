package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.packaging.ChartRbac;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;

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
