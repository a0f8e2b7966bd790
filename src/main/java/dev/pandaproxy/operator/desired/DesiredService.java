package dev.pandaproxy.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Optional;

/** In LoadBalancer mode, a Service with every port the proxy serves (its own IP, e.g. from MetalLB). */
public final class DesiredService {
    private DesiredService() {}

    /** The Service, or none in HostNetwork mode (clients use the node's address). */
    public static Optional<Service> of(ProxyPod pod) {
        if (pod.hostNetwork()) {
            return Optional.empty();
        }
        List<ServicePort> ports = pod.ports().stream()
                .map(port -> new ServicePortBuilder()
                        .withName(port.name())
                        .withPort(port.port())
                        .withProtocol(port.protocol())
                        .withNewTargetPort(port.name())
                        .build())
                .toList();
        return Optional.of(new ServiceBuilder()
                .withNewMetadata()
                .withName(pod.name())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .withLoadBalancerIP(pod.spec().getNetwork().getLoadBalancerIP())
                .withSelector(pod.labels())
                .withPorts(ports)
                // clients' addresses reach the proxy unchanged (its logs and limits see real peers)
                .withExternalTrafficPolicy("Local")
                .endSpec()
                .build());
    }
}
