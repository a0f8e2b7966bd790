package dev.pandaproxy.operator.desired;

import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.operator.Printers;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The objects the operator wants for a printer, as data: no API server, no sockets. */
class DesiredStateTest {
    private static final ProxyPod.Images IMAGES = new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0",
            "bluenviron/mediamtx:1.20.1", "bluenviron/mediamtx:1.20.1-ffmpeg");

    @TempDir
    Path dir;

    @Test
    void aChamberPrinterGetsOneNonRootPodOnTheHostNetworkWithEveryPortDeclared() {
        ProxyPod pod = new ProxyPod(Printers.printer("printers", "p1s", "192.168.1.42"), "chamber", IMAGES);
        Deployment deployment = DesiredDeployment.of(pod);

        assertThat(deployment.getMetadata().getName()).isEqualTo("pandaproxy-p1s");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        PodSpec spec = deployment.getSpec().getTemplate().getSpec();
        assertThat(spec.getHostNetwork()).isTrue();
        assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("proxy");

        Container proxy = spec.getContainers().getFirst();
        assertThat(proxy.getImage()).isEqualTo(IMAGES.proxy());
        assertThat(proxy.getArgs()).containsExactly("proxy", "--config", "/etc/pandaproxy/proxy.yaml");
        // the image's java has the file capability NET_BIND_SERVICE, which no_new_privs would ignore
        assertThat(proxy.getSecurityContext().getAllowPrivilegeEscalation()).isTrue();
        assertThat(proxy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(proxy.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(proxy.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_BIND_SERVICE");
        assertThat(proxy.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(proxy.getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("ACCESS_CODE");
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("p1s-code");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("access-code");
        });
        List<Integer> expected = new java.util.ArrayList<>(List.of(6000, 8883, 990));
        IntStream.rangeClosed(50000, 50009).forEach(expected::add);
        expected.add(8080);
        expected.add(8443);
        assertThat(proxy.getPorts()).extracting(ContainerPort::getContainerPort).containsExactlyElementsOf(expected);
        assertThat(proxy.getPorts()).allSatisfy(port -> assertThat(port.getHostPort()).isEqualTo(port.getContainerPort()));
        assertThat(DesiredService.of(pod)).isEmpty();
    }

    @Test
    void theConfigMapIsAFileTheProxyLoadsAsIntended() throws IOException {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getSpec().getTrust().setMode(BambuPrinterSpec.TrustMode.CA);
        printer.getSpec().getTrust().setCaSecret(new SecretKeyRef("bambu-ca", null));
        printer.getSpec().getSlicer().setDiscovery(true);
        ProxyConfig config = load(new ProxyPod(printer, "chamber", IMAGES), Map.of("ACCESS_CODE", "12345678"));

        assertThat(config.printer().host()).isEqualTo("192.168.1.42");
        assertThat(config.printer().serial()).isEqualTo(Printers.SERIAL);
        assertThat(config.printer().accessCode().matches("12345678")).isTrue();
        assertThat(config.printer().trust()).isEqualTo(TrustMode.CA);
        assertThat(config.printer().caFile()).contains(dir.resolve("ca.pem"));
        assertThat(DesiredConfigMap.of(new ProxyPod(printer, "chamber", IMAGES)).getData().get("proxy.yaml"))
                .contains("ca-file: /etc/pandaproxy/printer-ca/ca.pem");
        assertThat(config.camera().mode()).isEqualTo(CameraConfig.Mode.CHAMBER);
        assertThat(config.proxy().stateDir()).isEqualTo(Path.of("/var/lib/pandaproxy"));
        assertThat(config.slicer().discovery()).isTrue();
        assertThat(config.slicer().detect()).isTrue();
        assertThat(config.ftp().passivePorts()).hasValueSatisfying(range -> {
            assertThat(range.first()).isEqualTo(50000);
            assertThat(range.last()).isEqualTo(50009);
        });
        // the slicer features declare their ports
        PodSpec spec = DesiredDeployment.of(new ProxyPod(printer, "chamber", IMAGES)).getSpec().getTemplate().getSpec();
        assertThat(spec.getContainers().getFirst().getPorts()).extracting(port -> port.getContainerPort() + "/" + port.getProtocol())
                .contains("2021/UDP", "3000/TCP", "3002/TCP");
        assertThat(spec.getVolumes()).filteredOn(volume -> volume.getSecret() != null)
                .extracting(volume -> volume.getSecret().getSecretName()).containsExactly("bambu-ca");
    }

    @Test
    void anRtspPrinterGetsMediaMtxAndFfmpegBesideTheProxyAgreeingOnFilesPortsAndSecrets() throws IOException {
        ProxyPod pod = new ProxyPod(Printers.printer("printers", "x1c", "192.168.1.43"), "rtsp", IMAGES);
        PodSpec spec = DesiredDeployment.of(pod).getSpec().getTemplate().getSpec();
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("proxy", "mediamtx", "ffmpeg");
        Container proxy = spec.getContainers().get(0);
        Container mediamtx = spec.getContainers().get(1);
        Container ffmpeg = spec.getContainers().get(2);

        ProxyConfig config = load(pod, Map.of("ACCESS_CODE", "12345678", "CAMERA_PUBLISHER_dash_PASSWORD", "pub-secret"));
        assertThat(config.camera().rtsp().ffmpeg()).isEqualTo("external");
        assertThat(config.camera().rtsp().mediamtx()).isEqualTo("external");
        assertThat(config.camera().rtsp().publisherPassword()).hasValueSatisfying(p -> assertThat(p.matches("pub-secret")).isTrue());
        // MediaMTX reads the file where the proxy's RTSP camera writes it (state dir / serial / rtsp)
        assertThat(mediamtx.getArgs()).containsExactly(config.proxy().stateDir().resolve(Printers.SERIAL)
                .resolve("rtsp").resolve("mediamtx.yml").toString());
        assertThat(mediamtx.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(
                config.camera().rtsp().publishPort(), config.camera().rtsp().apiPort(), config.camera().rtsp().mediamtxRtspsPort());
        assertThat(mediamtx.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(mediamtx.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(mediamtx.getVolumeMounts()).singleElement().satisfies(mount -> assertThat(mount.getReadOnly()).isTrue());
        // ffmpeg pulls from the proxy's bridge and publishes where MediaMTX listens, secrets from the environment
        assertThat(ffmpeg.getCommand()).contains("rtsp://bblp:$(ACCESS_CODE)@127.0.0.1:" + config.camera().rtsp().bridgePort()
                + "/streaming/live/1", "rtsp://pandaproxy:$(PUBLISHER_PASSWORD)@127.0.0.1:"
                + config.camera().rtsp().publishPort() + "/streaming/live/1");
        assertThat(ffmpeg.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(ffmpeg.getEnv()).extracting(env -> env.getName() + "=" + env.getValueFrom().getSecretKeyRef().getName())
                .containsExactly("ACCESS_CODE=x1c-code", "PUBLISHER_PASSWORD=pandaproxy-x1c");
        assertThat(proxy.getPorts()).extracting(ContainerPort::getContainerPort).contains(6000, 322, 8555).doesNotContain(8322);
        assertThat(DesiredSecret.of(pod, "pub-secret").getData()).containsEntry("publisher-password",
                java.util.Base64.getEncoder().encodeToString("pub-secret".getBytes()));
    }

    @Test
    void loadBalancerModeGivesAServiceWithEveryPortAndNoHostNetwork() throws IOException {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getSpec().getNetwork().setMode(BambuPrinterSpec.NetworkMode.LOAD_BALANCER);
        printer.getSpec().getNetwork().setLoadBalancerIP("192.168.1.200");
        ProxyPod pod = new ProxyPod(printer, "rtsp", IMAGES);
        PodSpec spec = DesiredDeployment.of(pod).getSpec().getTemplate().getSpec();
        assertThat(spec.getHostNetwork()).isNull();
        assertThat(spec.getContainers()).flatExtracting(Container::getPorts).allSatisfy(port -> assertThat(port.getHostPort()).isNull());

        Service service = DesiredService.of(pod).orElseThrow();
        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getSpec().getLoadBalancerIP()).isEqualTo("192.168.1.200");
        assertThat(service.getSpec().getSelector()).isEqualTo(pod.labels());
        assertThat(service.getSpec().getPorts()).extracting(port -> port.getPort())
                .contains(6000, 322, 8883, 990, 50000, 50009, 8080, 8443).doesNotContain(8554, 9997, 8555, 8322);
        assertThat(load(pod, Map.of("ACCESS_CODE", "12345678")).proxy().advertiseAddress()).contains("192.168.1.200");
    }

    @Test
    void noSecretValueIsWrittenIntoTheSpecs() {
        ProxyPod pod = new ProxyPod(Printers.printer("printers", "x1c", "192.168.1.43"), "rtsp", IMAGES);
        String everything = Serialization.asYaml(DesiredDeployment.of(pod)) + Serialization.asYaml(DesiredConfigMap.of(pod));
        assertThat(everything).doesNotContain("12345678").contains("secretKeyRef");
    }

    /**
     * The ConfigMap's file, loaded by the proxy's own configuration loader with the pod's environment. The printer CA
     * bundle the pod mounts is stood in for by a file here (the loader checks that it can be read).
     */
    private ProxyConfig load(ProxyPod pod, Map<String, String> env) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "stands in for the mounted bundle");
        String text = DesiredConfigMap.of(pod).getData().get("proxy.yaml");
        assertThat(text.contains("ca-file")).isEqualTo(pod.spec().getTrust().getMode() == BambuPrinterSpec.TrustMode.CA);
        Path file = Files.writeString(dir.resolve("proxy.yaml"), text.replace("/etc/pandaproxy/printer-ca/ca.pem", ca.toString()));
        return ConfigLoader.of(new ConfigLoader.Sources(Optional.of(file), Map.of(), env, Map.of())).proxyConfig();
    }
}
