package dev.pandaproxy.operator.desired;

import dev.pandaproxy.operator.model.BambuPrinterSpec;
import dev.pandaproxy.rtsp.FfmpegCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's Deployment: one pod, replaced (never two at once: the printer accepts few connections), running this
 * image as {@code proxy} with the generated configuration; for RTSP printers, MediaMTX and ffmpeg beside it.
 */
public final class DesiredDeployment {
    private static final long USER = 10001;
    private static final String ACCESS_CODE = "ACCESS_CODE";
    private static final String PUBLISHER_PASSWORD = "PUBLISHER_PASSWORD";
    static final String CONFIG_HASH = "pandaproxy.dev/config-hash";

    private DesiredDeployment() {
    }

    public static Deployment of(ProxyPod pod) {
        BambuPrinterSpec spec = pod.spec();
        List<Container> containers = new ArrayList<>();
        containers.add(proxy(pod));
        if (pod.rtsp()) {
            containers.add(mediamtx(pod));
            containers.add(ffmpeg(pod));
        }
        return new DeploymentBuilder()
                .withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withLabels(pod.labels()).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(pod.labels()).endSelector()
                .withNewTemplate()
                // a changed configuration restarts the pod: the proxy reads its file once
                .withNewMetadata().withLabels(pod.labels()).withAnnotations(java.util.Map.of(CONFIG_HASH, configHash(pod))).endMetadata()
                .withNewSpec()
                .withHostNetwork(pod.hostNetwork() ? Boolean.TRUE : null)
                .withDnsPolicy(pod.hostNetwork() ? "ClusterFirstWithHostNet" : "ClusterFirst")
                // the proxy needs no Kubernetes API: the operator reads its /status
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER).withFsGroup(USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withNodeSelector(spec.getNodeSelector().isEmpty() ? null : spec.getNodeSelector())
                .withAffinity(spec.getAffinity())
                .withTolerations(spec.getTolerations().isEmpty() ? null : spec.getTolerations())
                .withContainers(containers)
                .withVolumes(volumes(pod))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container proxy(ProxyPod pod) {
        BambuPrinterSpec spec = pod.spec();
        List<EnvVar> env = new ArrayList<>();
        env.add(secretEnv(ACCESS_CODE, spec.getAccessCodeSecret().getName(), accessCodeKey(spec)));
        if (pod.rtsp()) {
            // "camera.publisher-password" as a variable: '-' is written _dash_
            env.add(secretEnv("CAMERA_PUBLISHER_dash_PASSWORD", pod.name(), DesiredSecret.PUBLISHER_PASSWORD));
        }
        List<VolumeMount> mounts = new ArrayList<>(List.of(
                mount("config", ProxyPod.CONFIG_DIR + "/" + DesiredConfigMap.FILE, DesiredConfigMap.FILE, true),
                mount("state", ProxyPod.STATE_DIR, null, false),
                mount("tmp", "/tmp", null, false)));
        if (spec.getTrust().getCaSecret() != null) {
            mounts.add(mount("printer-ca", ProxyPod.PRINTER_CA_DIR, null, true));
        }
        if (spec.getServerCertificateSecret() != null) {
            mounts.add(mount("server-tls", ProxyPod.SERVER_TLS_DIR, null, true));
        }
        return new ContainerBuilder()
                .withName("proxy")
                .withImage(spec.getImage() != null ? spec.getImage() : pod.images().proxy())
                .withArgs("proxy", "--config", ProxyPod.CONFIG_DIR + "/" + DesiredConfigMap.FILE)
                .withEnv(env)
                .withPorts(pod.ports().stream().filter(port -> !servedByMediaMtx(port)).map(port -> containerPort(pod, port)).toList())
                .withVolumeMounts(mounts)
                .withResources(ProxyPodMemory.withDefaults(spec.getResources()))
                .withSecurityContext(restricted(true))
                .withLivenessProbe(probe("/observe/health/live"))
                .withReadinessProbe(probe("/observe/health/ready"))
                .build();
    }

    /** MediaMTX reads the file the proxy writes into the shared state directory (it restarts until it exists). */
    private static Container mediamtx(ProxyPod pod) {
        String config = ProxyPod.STATE_DIR + "/" + pod.spec().getSerial() + "/rtsp/mediamtx.yml";
        return new ContainerBuilder()
                .withName("mediamtx")
                .withImage(pod.images().mediamtx())
                .withArgs(config)
                .withPorts(pod.ports().stream().filter(DesiredDeployment::servedByMediaMtx).map(port -> containerPort(pod, port)).toList())
                .withVolumeMounts(mount("state", ProxyPod.STATE_DIR, null, true))
                // only loopback ports: the proxy holds 322 and relays to it
                .withSecurityContext(restricted(false))
                .build();
    }

    /** ffmpeg pulls from the proxy's bridge and publishes to MediaMTX; Kubernetes expands the $(VAR)s. */
    private static Container ffmpeg(ProxyPod pod) {
        List<String> command = FfmpegCommand.arguments("ffmpeg", "$(" + ACCESS_CODE + ")", ProxyPod.BRIDGE_PORT,
                "$(" + PUBLISHER_PASSWORD + ")", ProxyPod.PUBLISH_PORT, "");
        return new ContainerBuilder()
                .withName("ffmpeg")
                .withImage(pod.images().ffmpeg())
                .withCommand(command)
                .withEnv(secretEnv(ACCESS_CODE, pod.spec().getAccessCodeSecret().getName(), accessCodeKey(pod.spec())),
                        secretEnv(PUBLISHER_PASSWORD, pod.name(), DesiredSecret.PUBLISHER_PASSWORD))
                .withSecurityContext(restricted(false))
                .build();
    }

    private static boolean servedByMediaMtx(ProxyPod.Port port) {
        return port.name().startsWith("mediamtx-") || port.name().equals("rtsp-publish");
    }

    private static ContainerPort containerPort(ProxyPod pod, ProxyPod.Port port) {
        return new ContainerPortBuilder()
                .withName(port.name())
                .withContainerPort(port.port())
                .withProtocol(port.protocol())
                .withHostPort(pod.hostNetwork() ? port.port() : null)
                .build();
    }

    private static List<Volume> volumes(ProxyPod pod) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("config").withNewConfigMap().withName(pod.name()).endConfigMap().build());
        volumes.add(new VolumeBuilder().withName("state").withNewEmptyDir().endEmptyDir().build());
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        if (pod.spec().getTrust().getCaSecret() != null) {
            volumes.add(new VolumeBuilder().withName("printer-ca").withNewSecret()
                    .withSecretName(pod.spec().getTrust().getCaSecret().getName())
                    .addNewItem().withKey(caKey(pod.spec())).withPath("ca.pem").endItem()
                    .endSecret().build());
        }
        if (pod.spec().getServerCertificateSecret() != null) {
            volumes.add(new VolumeBuilder().withName("server-tls").withNewSecret()
                    .withSecretName(pod.spec().getServerCertificateSecret()).endSecret().build());
        }
        return volumes;
    }

    /**
     * Non-root, read-only, every capability dropped; the proxy keeps NET_BIND_SERVICE for the printer's ports below
     * 1024 (990, 322). A non-root process gets that capability only from its binary's file capabilities
     * (Kubernetes sets no ambient capabilities), which no_new_privs would ignore: those containers must allow
     * privilege escalation, the others do not.
     */
    private static SecurityContext restricted(boolean bindsLowPorts) {
        SecurityContextBuilder context = new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(bindsLowPorts)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities();
        if (bindsLowPorts) {
            context.editCapabilities().withAdd("NET_BIND_SERVICE").endCapabilities();
        }
        return context.build();
    }

    private static Probe probe(String path) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withPeriodSeconds(10).withFailureThreshold(3).build();
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build();
    }

    private static VolumeMount mount(String volume, String path, String subPath, boolean readOnly) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withSubPath(subPath).withReadOnly(readOnly).build();
    }

    private static String configHash(ProxyPod pod) {
        try {
            byte[] text = DesiredConfigMap.of(pod).getData().get(DesiredConfigMap.FILE).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /** The key of the access-code Secret: {@code access-code} unless named. */
    public static String accessCodeKey(BambuPrinterSpec spec) {
        return spec.getAccessCodeSecret().getKey() != null ? spec.getAccessCodeSecret().getKey() : "access-code";
    }

    private static String caKey(BambuPrinterSpec spec) {
        return spec.getTrust().getCaSecret().getKey() != null ? spec.getTrust().getCaSecret().getKey() : "ca.pem";
    }
}
