package dev.pandaproxy.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.config.ConfigLoader;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.operator.Printers;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.operator.model.SecretKeyRef;
import dev.pandaproxy.rtsp.MediaMtxConfig;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The objects the operator wants for a printer, as data: no API server, no sockets. */
class DesiredStateTest {
    private static final ProxyPod.Images IMAGES =
            new ProxyPod.Images("ghcr.io/pandaproxy/pandaproxy:0.1.0", "bluenviron/mediamtx:1.20.1");

    @TempDir
    Path dir;

    @Test
    void aPrintersOwnResourcesReplaceTheOperatorsForTheProxyOnly() {
        ResourceRequirements operators = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("50m"))
                .build();
        ResourceRequirements own = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("1"))
                .build();
        ProxyPod.Images images = new ProxyPod.Images(
                IMAGES.proxy(), IMAGES.mediamtx(), List.of(), new ProxyPod.Resources(operators, operators));
        BambuPrinter printer = Printers.printer("printers", "x1c", "192.168.1.42");
        assertThat(DesiredDeployment.of(new ProxyPod(printer, "rtsp", images, "", Optional.empty()))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .allSatisfy(container -> assertThat(container.getResources())
                        .as(container.getName())
                        .isEqualTo(operators));

        printer.getSpec().setResources(own);
        assertThat(DesiredDeployment.of(new ProxyPod(printer, "rtsp", images, "", Optional.empty()))
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers())
                .extracting(Container::getResources)
                .containsExactly(own, operators);
    }

    @Test
    void aChamberPrinterGetsOneNonRootPodOnTheHostNetworkWithEveryPortDeclared() {
        ProxyPod pod = new ProxyPod(
                Printers.printer("printers", "p1s", "192.168.1.42"), "chamber", IMAGES, "", Optional.empty());
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
        List<Integer> expected = new ArrayList<>(List.of(6000, 8883, 990));
        IntStream.rangeClosed(50000, 50009).forEach(expected::add);
        expected.add(8080);
        expected.add(8443);
        assertThat(proxy.getPorts()).extracting(ContainerPort::getContainerPort).containsExactlyElementsOf(expected);
        assertThat(proxy.getPorts())
                .allSatisfy(port -> assertThat(port.getHostPort()).isEqualTo(port.getContainerPort()));
        assertThat(DesiredService.of(pod)).isEmpty();
    }

    @Test
    void theConfigMapIsAFileTheProxyLoadsAsIntended() throws IOException {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getSpec().getTrust().setMode(BambuPrinterSpec.TrustMode.CA);
        printer.getSpec().getTrust().setCaSecret(new SecretKeyRef("bambu-ca", null));
        printer.getSpec().getSlicer().setDiscovery(true);
        ProxyConfig config =
                load(new ProxyPod(printer, "chamber", IMAGES, "", Optional.empty()), Map.of("ACCESS_CODE", "12345678"));

        assertThat(config.printer().host()).isEqualTo("192.168.1.42");
        assertThat(config.printer().serial()).isEqualTo(Printers.SERIAL);
        assertThat(config.printer().accessCode().matches("12345678")).isTrue();
        assertThat(config.printer().trust()).isEqualTo(TrustMode.CA);
        assertThat(config.printer().caFile()).contains(dir.resolve("ca.pem"));
        assertThat(DesiredConfigMap.of(new ProxyPod(printer, "chamber", IMAGES, "", Optional.empty()))
                        .getData()
                        .get("proxy.yaml"))
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
        PodSpec spec = DesiredDeployment.of(new ProxyPod(printer, "chamber", IMAGES, "", Optional.empty()))
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(spec.getContainers().getFirst().getPorts())
                .extracting(port -> port.getContainerPort() + "/" + port.getProtocol())
                .contains("2021/UDP", "3000/TCP", "3002/TCP");
        assertThat(spec.getVolumes())
                .filteredOn(volume -> volume.getSecret() != null)
                .extracting(volume -> volume.getSecret().getSecretName())
                .containsExactly("bambu-ca", "pandaproxy-p1s-tls");
    }

    @Test
    void anRtspPrinterRunsFfmpegInTheProxyAndMediaMtxBesideItOnItsOwnLoopbackAddress() throws IOException {
        ProxyPod pod =
                new ProxyPod(Printers.printer("printers", "x1c", "192.168.1.43"), "rtsp", IMAGES, "", Optional.empty());
        PodSpec spec = DesiredDeployment.of(pod).getSpec().getTemplate().getSpec();
        // ffmpeg is the proxy's child, restarted with backoff: no container of its own to crash-loop
        assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("proxy", "mediamtx");
        Container proxy = spec.getContainers().get(0);
        Container mediamtx = spec.getContainers().get(1);

        ProxyConfig config =
                load(pod, Map.of("ACCESS_CODE", "12345678", "CAMERA_PUBLISHER_dash_PASSWORD", "pub-secret"));
        assertThat(config.camera().rtsp().ffmpeg()).isEqualTo("ffmpeg");
        assertThat(config.camera().rtsp().mediamtx()).isEqualTo("external");
        assertThat(config.camera().rtsp().publisherPassword())
                .hasValueSatisfying(p -> assertThat(p.matches("pub-secret")).isTrue());
        assertThat(config.camera().rtsp().helperAddress())
                .isEqualTo(pod.helperAddress())
                .startsWith("127.")
                .isNotEqualTo("127.0.0.1");

        // MediaMTX's file exists before the pod starts: it is the operator's Secret, the same text the proxy would
        // write
        assertThat(mediamtx.getArgs()).containsExactly("/etc/mediamtx/mediamtx.yml");
        assertThat(spec.getVolumes())
                .anySatisfy(volume -> assertThat(
                                volume.getSecret() == null
                                        ? null
                                        : volume.getSecret().getSecretName())
                        .isEqualTo("pandaproxy-x1c-mediamtx"));
        String yaml = new String(Base64.getDecoder()
                .decode(DesiredMediaMtx.of(pod, Secret.of("12345678"), Secret.of("pub-secret"))
                        .getData()
                        .get("mediamtx.yml")));
        assertThat(yaml)
                .isEqualTo(MediaMtxConfig.yaml(new MediaMtxConfig.Inputs(
                        config.camera().rtsp().helperAddress(),
                        config.camera().rtsp().mediamtxRtspsPort(),
                        config.camera().rtsp().publishPort(),
                        config.camera().rtsp().apiPort(),
                        config.camera().rtsp().mediamtxHlsPort(),
                        "/etc/mediamtx/tls/tls.crt",
                        "/etc/mediamtx/tls/tls.key",
                        Secret.of("12345678"),
                        "pandaproxy",
                        Secret.of("pub-secret"))));
        assertThat(mediamtx.getPorts()).isEmpty();
        assertThat(mediamtx.getLivenessProbe()).isNull();
        assertThat(mediamtx.getReadinessProbe()).isNull();
        assertThat(mediamtx.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(mediamtx.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(mediamtx.getVolumeMounts())
                .allSatisfy(mount -> assertThat(mount.getReadOnly()).isTrue());
        // loopback helpers are not host ports: only what clients use is declared
        assertThat(proxy.getPorts())
                .extracting(ContainerPort::getContainerPort)
                .contains(6000, 322)
                .doesNotContain(8554, 8555, 8322, 9997);
        // no secret on any command line
        assertThat(spec.getContainers())
                .allSatisfy(container -> assertThat(
                                String.join(" ", container.getCommand()) + String.join(" ", container.getArgs()))
                        .doesNotContain("$(")
                        .doesNotContain("12345678"));
    }

    @Test
    void printersGetLoopbackAddressesOfTheirOwn() {
        Set<String> addresses = IntStream.range(0, 20)
                .mapToObj(i -> new ProxyPod(
                                Printers.printer("printers", "printer-" + i, "192.168.1.43"),
                                "rtsp",
                                IMAGES,
                                "",
                                Optional.empty())
                        .helperAddress())
                .collect(Collectors.toSet());
        assertThat(addresses)
                .hasSize(20)
                .allSatisfy(address -> assertThat(address).matches("127\\.\\d+\\.\\d+\\.\\d+"));
    }

    @Test
    void loadBalancerModeGivesAServiceWithEveryPortAndNoHostNetwork() throws IOException {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getSpec().getNetwork().setMode(BambuPrinterSpec.NetworkMode.LOAD_BALANCER);
        printer.getSpec().getNetwork().setLoadBalancerIP("192.168.1.200");
        ProxyPod pod = new ProxyPod(printer, "rtsp", IMAGES, "", Optional.empty());
        PodSpec spec = DesiredDeployment.of(pod).getSpec().getTemplate().getSpec();
        assertThat(spec.getHostNetwork()).isNull();
        assertThat(spec.getContainers())
                .flatExtracting(Container::getPorts)
                .allSatisfy(port -> assertThat(port.getHostPort()).isNull());

        Service service = DesiredService.of(pod).orElseThrow();
        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getSpec().getLoadBalancerIP()).isEqualTo("192.168.1.200");
        assertThat(service.getSpec().getSelector()).isEqualTo(pod.labels());
        assertThat(service.getSpec().getPorts())
                .extracting(port -> port.getPort())
                .contains(6000, 322, 8883, 990, 50000, 50009, 8080, 8443)
                .doesNotContain(8554, 9997, 8322);
        assertThat(load(pod, Map.of("ACCESS_CODE", "12345678")).proxy().advertiseAddress())
                .contains("192.168.1.200");
    }

    @Test
    void aPrinterWithItsOwnNodeAddressClaimsItsPortsThereOnlyAndItsHttpPortIsItsOwn() throws IOException {
        BambuPrinter printer = Printers.printer("printers", "p1s", "192.168.1.42");
        printer.getSpec().getNetwork().setHostIP("192.168.1.12");
        printer.getSpec().getNetwork().setHttpPort(18080);
        printer.getSpec().getNetwork().setHttpsPort(18443);
        ProxyPod pod = new ProxyPod(printer, "rtsp", IMAGES, "", Optional.empty());
        PodSpec spec = DesiredDeployment.of(pod).getSpec().getTemplate().getSpec();

        assertThat(spec.getContainers())
                .flatExtracting(Container::getPorts)
                .filteredOn(port -> port.getHostPort() != null)
                .isNotEmpty()
                .allSatisfy(port -> assertThat(port.getHostIP()).isEqualTo("192.168.1.12"));
        Container proxy = spec.getContainers().getFirst();
        assertThat(proxy.getPorts())
                .extracting(ContainerPort::getContainerPort)
                .contains(18080, 18443)
                .doesNotContain(8080, 8443);
        // the kubelet asks the proxy where it listens
        assertThat(proxy.getReadinessProbe().getHttpGet().getHost()).isEqualTo("192.168.1.12");
        ProxyConfig config =
                load(pod, Map.of("ACCESS_CODE", "12345678", "CAMERA_PUBLISHER_dash_PASSWORD", "pub-secret"));
        assertThat(config.proxy().bind()).isEqualTo("192.168.1.12");
        assertThat(config.http().port()).isEqualTo(18080);
        assertThat(config.http().httpsPort()).isEqualTo(18443);
    }

    @Test
    void noSecretValueIsWrittenIntoTheSpecs() {
        ProxyPod pod =
                new ProxyPod(Printers.printer("printers", "x1c", "192.168.1.43"), "rtsp", IMAGES, "", Optional.empty());
        String everything =
                Serialization.asYaml(DesiredDeployment.of(pod)) + Serialization.asYaml(DesiredConfigMap.of(pod));
        assertThat(everything).doesNotContain("12345678").contains("secretKeyRef");
    }

    /**
     * The ConfigMap's file, loaded by the proxy's own configuration loader with the pod's environment. The printer CA
     * bundle the pod mounts is stood in for by a file here (the loader checks that it can be read).
     */
    private ProxyConfig load(ProxyPod pod, Map<String, String> env) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "stands in for the mounted bundle");
        // the server certificate the pod mounts from the printer's identity Secret
        CertificateAuthority.generate("test CA")
                .issue(Printers.SERIAL, SubjectNames.forServer(Printers.SERIAL, "0.0.0.0", List.of()))
                .writePemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        String text = DesiredConfigMap.of(pod).getData().get("proxy.yaml").replace("/etc/pandaproxy/tls/", dir + "/");
        assertThat(text.contains("ca-file"))
                .isEqualTo(pod.spec().getTrust().getMode() == BambuPrinterSpec.TrustMode.CA);
        Path file = Files.writeString(
                dir.resolve("proxy.yaml"), text.replace("/etc/pandaproxy/printer-ca/ca.pem", ca.toString()));
        return ConfigLoader.of(new ConfigLoader.Sources(Optional.of(file), Map.of(), env, Map.of()))
                .proxyConfig();
    }
}
