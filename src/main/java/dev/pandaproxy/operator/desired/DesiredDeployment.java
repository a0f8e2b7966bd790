package dev.pandaproxy.operator.desired;

import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The proxy's Deployment: one pod, replaced (never two at once: the printer accepts few connections), running this
 * image as {@code proxy} with the generated configuration; for RTSP printers, MediaMTX and ffmpeg beside it.
 */
public final class DesiredDeployment {
    private static final long USER = 10001;
    private static final String ACCESS_CODE = "ACCESS_CODE";
    static final String CONFIG_HASH = "pandaproxy.dev/config-hash";
    static final String SECRETS_HASH = "pandaproxy.dev/secrets-hash";

    private DesiredDeployment() {}

    public static Deployment of(ProxyPod pod) {
        BambuPrinterSpec spec = pod.spec();
        List<Container> containers = new ArrayList<>();
        containers.add(proxy(pod));
        if (pod.rtsp()) {
            containers.add(mediamtx(pod));
        }
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(pod.name())
                .withNamespace(pod.namespace())
                .withLabels(pod.labels())
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewStrategy()
                .withType("Recreate")
                .endStrategy()
                .withNewSelector()
                .withMatchLabels(pod.labels())
                .endSelector()
                .withNewTemplate()
                // a changed configuration or Secret restarts the pod: the proxy reads its files and variables once
                .withNewMetadata()
                .withLabels(pod.labels())
                .withAnnotations(Map.of(CONFIG_HASH, configHash(pod), SECRETS_HASH, pod.secretsDigest()))
                .endMetadata()
                .withNewSpec()
                .withHostNetwork(pod.hostNetwork() ? Boolean.TRUE : null)
                .withDnsPolicy(pod.hostNetwork() ? "ClusterFirstWithHostNet" : "ClusterFirst")
                // the proxy needs no Kubernetes API: the operator reads its /status
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(USER)
                .withRunAsGroup(USER)
                .withFsGroup(USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withNodeSelector(spec.getNodeSelector().isEmpty() ? null : spec.getNodeSelector())
                .withAffinity(spec.getAffinity())
                .withTolerations(spec.getTolerations().isEmpty() ? null : spec.getTolerations())
                .withImagePullSecrets(pod.images().pullSecrets().stream()
                        .map(name -> new LocalObjectReference(name))
                        .toList())
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
        mounts.add(mount("server-tls", ProxyPod.SERVER_TLS_DIR, null, true));
        if (spec.getTrust().getMode() == BambuPrinterSpec.TrustMode.PIN) {
            mounts.add(mount("known-pins", ProxyPod.KNOWN_PINS_DIR, null, true));
        }
        return new ContainerBuilder()
                .withName("proxy")
                .withImage(pod.images().proxy())
                .withArgs("proxy", "--config", ProxyPod.CONFIG_DIR + "/" + DesiredConfigMap.FILE)
                .withEnv(env)
                .withPorts(pod.ports().stream()
                        .map(port -> containerPort(pod, port))
                        .toList())
                .withVolumeMounts(mounts)
                .withResources(
                        spec.getResources() != null
                                ? spec.getResources()
                                : pod.images().resources().proxy() != null
                                        ? pod.images().resources().proxy()
                                        : ProxyPodMemory.defaults())
                .withSecurityContext(restricted(true))
                .withLivenessProbe(probe(pod, "/observe/health/live"))
                .withReadinessProbe(probe(pod, "/observe/health/ready"))
                .build();
    }

    /**
     * MediaMTX, from the configuration the operator keeps in a Secret (it exists before the pod starts: nothing to
     * wait for), presenting the proxy's certificate. It listens on the printer's own loopback address only, which the
     * proxy relays its RTSPS port to; it has nothing to probe: a printer switched off is no reason to restart it.
     */
    private static Container mediamtx(ProxyPod pod) {
        return new ContainerBuilder()
                .withName("mediamtx")
                .withImage(pod.images().mediamtx())
                .withArgs(DesiredMediaMtx.DIR + "/" + DesiredMediaMtx.FILE)
                .withVolumeMounts(
                        mount("mediamtx", DesiredMediaMtx.DIR, null, true),
                        mount("server-tls", DesiredMediaMtx.TLS_DIR, null, true))
                .withResources(pod.images().resources().mediamtx())
                .withSecurityContext(restricted(false))
                .build();
    }

    private static ContainerPort containerPort(ProxyPod pod, ProxyPod.Port port) {
        return new ContainerPortBuilder()
                .withName(port.name())
                .withContainerPort(port.port())
                .withProtocol(port.protocol())
                .withHostPort(pod.hostNetwork() ? port.port() : null)
                // with an address per printer, two printers' pods on one node do not claim the same host ports
                .withHostIP(
                        pod.hostNetwork() && pod.spec().getNetwork().getHostIP() != null
                                ? pod.spec().getNetwork().getHostIP()
                                : null)
                .build();
    }

    private static List<Volume> volumes(ProxyPod pod) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                .withName(pod.name())
                .endConfigMap()
                .build());
        volumes.add(new VolumeBuilder()
                .withName("state")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        if (pod.spec().getTrust().getCaSecret() != null) {
            volumes.add(new VolumeBuilder()
                    .withName("printer-ca")
                    .withNewSecret()
                    .withSecretName(pod.spec().getTrust().getCaSecret().getName())
                    .addNewItem()
                    .withKey(caKey(pod.spec()))
                    .withPath("ca.pem")
                    .endItem()
                    .endSecret()
                    .build());
        }
        volumes.add(new VolumeBuilder()
                .withName("server-tls")
                .withNewSecret()
                .withSecretName(pod.serverTlsSecret())
                .addNewItem()
                .withKey("tls.crt")
                .withPath("tls.crt")
                .endItem()
                .addNewItem()
                .withKey("tls.key")
                .withPath("tls.key")
                .endItem()
                .endSecret()
                .build());
        if (pod.rtsp()) {
            volumes.add(new VolumeBuilder()
                    .withName("mediamtx")
                    .withNewSecret()
                    .withSecretName(pod.mediamtxSecret())
                    .endSecret()
                    .build());
        }
        if (pod.spec().getTrust().getMode() == BambuPrinterSpec.TrustMode.PIN) {
            // optional: nothing is pinned before the first connection; a mounted Secret follows its updates, so pins
            // the operator stores later are there at the next start without rolling the pod
            volumes.add(new VolumeBuilder()
                    .withName("known-pins")
                    .withNewSecret()
                    .withSecretName(pod.identitySecret())
                    .withOptional(true)
                    .addNewItem()
                    .withKey(DesiredIdentity.PINS)
                    .withPath(DesiredIdentity.PINS)
                    .endItem()
                    .endSecret()
                    .build());
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
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities();
        if (bindsLowPorts) {
            context.editCapabilities().withAdd("NET_BIND_SERVICE").endCapabilities();
        }
        return context.build();
    }

    /** The kubelet probes the pod's address unless told otherwise: a proxy bound to its own node address is asked there. */
    private static Probe probe(ProxyPod pod, String path) {
        String host = pod.bindAddress().equals("0.0.0.0") ? null : pod.bindAddress();
        return new ProbeBuilder()
                .withNewHttpGet()
                .withHost(host)
                .withPath(path)
                .withNewPort("http")
                .endHttpGet()
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .build();
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secret)
                .withKey(key)
                .endSecretKeyRef()
                .endValueFrom()
                .build();
    }

    private static VolumeMount mount(String volume, String path, String subPath, boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(volume)
                .withMountPath(path)
                .withSubPath(subPath)
                .withReadOnly(readOnly)
                .build();
    }

    private static String configHash(ProxyPod pod) {
        return digest(DesiredConfigMap.of(pod).getData().get(DesiredConfigMap.FILE));
    }

    /** A short SHA-256 digest of {@code text}, for pod template annotations. */
    public static String digest(String text) {
        return HexFormat.of().formatHex(sha256(text), 0, 16);
    }

    /** SHA-256 of {@code text}'s UTF-8 bytes. */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /** The key of the access-code Secret: {@code access-code} unless named. */
    public static String accessCodeKey(BambuPrinterSpec spec) {
        return spec.getAccessCodeSecret().getKey() != null
                ? spec.getAccessCodeSecret().getKey()
                : "access-code";
    }

    /** The key of the printer's CA bundle in {@code trust.caSecret}: {@code ca.pem} unless named. */
    public static String caKey(BambuPrinterSpec spec) {
        return spec.getTrust().getCaSecret().getKey() != null
                ? spec.getTrust().getCaSecret().getKey()
                : "ca.pem";
    }
}
