package dev.pandaproxy.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.operator.Printers;
import dev.pandaproxy.operator.desired.DesiredDeployment;
import dev.pandaproxy.operator.desired.ProxyPod;
import dev.pandaproxy.operator.model.BambuPrinter;
import dev.pandaproxy.operator.model.BambuPrinterSpec;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image against the pods that run it, as the kernel and the container runtime would judge them, without a
 * cluster: the file capabilities the Dockerfile gives its binaries, the launcher its entry point starts for each
 * sub-command, and its user, against each container's securityContext in the chart's render and in the Deployments
 * the operator wants for printers. A binary whose file capabilities are not all in the container's bounding set
 * cannot be executed at all ({@code operation not permitted}); with no_new_privs (allowPrivilegeEscalation: false)
 * its file capabilities are ignored, so a port below 1024 cannot be bound.
 */
class ContainerSecurityTest {
    /** What containerd and CRI-O give a container unless told otherwise. */
    private static final Set<String> RUNTIME_DEFAULT = Set.of(
            "CHOWN",
            "DAC_OVERRIDE",
            "FSETID",
            "FOWNER",
            "MKNOD",
            "NET_RAW",
            "SETGID",
            "SETUID",
            "SETFCAP",
            "SETPCAP",
            "NET_BIND_SERVICE",
            "SYS_CHROOT",
            "KILL",
            "AUDIT_WRITE");

    private static final String IMAGE = "ghcr.io/pandaproxy/pandaproxy:0.1.0";
    private static final ProxyPod.Images IMAGES = new ProxyPod.Images(IMAGE, "bluenviron/mediamtx:1.20.1");

    @Test
    void theImageGivesTheBindCapabilityToTheProxysLauncherOnly() {
        Image image = Image.parse(
                Manifests.read(Path.of("Dockerfile")), Manifests.read(Path.of("src", "main", "docker", "pandaproxy")));
        assertThat(image.fileCapabilities()).containsExactly(Map.entry("java-netbind", Set.of("NET_BIND_SERVICE")));
        assertThat(image.launcher(List.of(), List.of("proxy"))).isEqualTo("java-netbind");
        for (String command : List.of("operator", "simulate", "demo", "doctor", "ca")) {
            assertThat(image.launcher(List.of(), List.of(command))).as(command).isEqualTo("java");
        }
        assertThat(image.user()).isEqualTo(10001L);
    }

    @Test
    void everyContainerTheChartRendersCanStartFromTheImage() {
        Image image = image();
        List<HasMetadata> objects = Manifests.renderWithHooks(Map.of());
        List<String> checked = new ArrayList<>();
        for (HasMetadata object : objects) {
            PodSpec pod = object instanceof Deployment deployment
                    ? deployment.getSpec().getTemplate().getSpec()
                    : object instanceof Pod plain ? plain.getSpec() : null;
            if (pod != null) {
                checked.addAll(assertRuns(
                        image, object.getKind() + " " + object.getMetadata().getName(), pod));
            }
        }
        assertThat(checked)
                .containsExactlyInAnyOrder(
                        "Deployment pandaproxy-operator/operator", "Pod pandaproxy-operator-test/ready");
    }

    @Test
    void everyProxyContainerTheOperatorWantsCanStartAndBindThePrintersPorts() {
        Image image = image();
        for (String camera : List.of("chamber", "rtsp", "none")) {
            for (BambuPrinterSpec.NetworkMode mode : BambuPrinterSpec.NetworkMode.values()) {
                BambuPrinter printer = Printers.printer("printers", "p", "192.168.1.42");
                printer.getSpec().getNetwork().setMode(mode);
                Deployment deployment =
                        DesiredDeployment.of(new ProxyPod(printer, camera, IMAGES, "", Optional.empty()));
                assertThat(assertRuns(
                                image,
                                camera + " " + mode,
                                deployment.getSpec().getTemplate().getSpec()))
                        .contains(camera + " " + mode + "/proxy");
            }
        }
    }

    @Test
    void theImageOfOldWithItsOnlyJavaCapableWouldNotStartTheOperator() {
        // the check itself: setcap on the one java made the operator's container (every capability dropped) unable to
        // exec it, which is what happened on every install
        Image old = Image.parse(
                Manifests.read(Path.of("Dockerfile"))
                        .replace("\"$JAVA_HOME/bin/java-netbind\" \\\n", "\"$JAVA_HOME/bin/java\" \\\n"),
                Manifests.read(Path.of("src", "main", "docker", "pandaproxy")));
        PodSpec operator = Manifests.only(Manifests.render(Map.of()), Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(problems(old, operator, operator.getContainers().getFirst()))
                .singleElement()
                .asString()
                .contains("cannot exec java")
                .contains("NET_BIND_SERVICE");
    }

    private static Image image() {
        return Image.parse(
                Manifests.read(Path.of("Dockerfile")), Manifests.read(Path.of("src", "main", "docker", "pandaproxy")));
    }

    /** Asserts that each container of {@code pod} running the image can start; returns them as "where/name". */
    private static List<String> assertRuns(Image image, String where, PodSpec pod) {
        List<String> checked = new ArrayList<>();
        for (Container container : pod.getContainers()) {
            if (container.getImage().startsWith("ghcr.io/pandaproxy/pandaproxy")) {
                assertThat(problems(image, pod, container))
                        .as("%s, container %s", where, container.getName())
                        .isEmpty();
                checked.add(where + "/" + container.getName());
            }
        }
        return checked;
    }

    /** Why the kernel or the kubelet would not let {@code container} do its job; empty when it would. */
    static List<String> problems(Image image, PodSpec pod, Container container) {
        List<String> problems = new ArrayList<>();
        SecurityContext context = Objects.requireNonNullElse(container.getSecurityContext(), new SecurityContext());
        PodSecurityContext podContext = Objects.requireNonNullElse(pod.getSecurityContext(), new PodSecurityContext());
        String binary = image.launcher(
                Objects.requireNonNullElse(container.getCommand(), List.of()),
                Objects.requireNonNullElse(container.getArgs(), List.of()));
        Set<String> fileCaps = image.fileCapabilities().getOrDefault(binary, Set.of());
        Set<String> bounding = bounding(context.getCapabilities());
        Set<String> outside = new LinkedHashSet<>(fileCaps);
        outside.removeAll(bounding);
        if (!outside.isEmpty()) {
            problems.add("cannot exec " + binary + ": its file capabilities " + outside
                    + " are outside the bounding set " + bounding);
        }
        boolean noNewPrivs = Boolean.FALSE.equals(context.getAllowPrivilegeEscalation());
        Set<String> gained = noNewPrivs || !outside.isEmpty() ? Set.of() : fileCaps;
        Long user = Optional.ofNullable(context.getRunAsUser())
                .or(() -> Optional.ofNullable(podContext.getRunAsUser()))
                .orElse(image.user());
        boolean nonRoot = Boolean.TRUE.equals(
                Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()));
        if (!nonRoot) {
            problems.add("runAsNonRoot is not set");
        }
        if (user == 0) {
            problems.add("runs as root");
        }
        for (ContainerPort port : Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of())) {
            if (port.getContainerPort() < 1024 && !gained.contains("NET_BIND_SERVICE")) {
                problems.add(
                        "cannot bind port " + port.getContainerPort() + ": " + binary + " gains no NET_BIND_SERVICE"
                                + (noNewPrivs && !fileCaps.isEmpty()
                                        ? " (allowPrivilegeEscalation: false ignores file capabilities)"
                                        : ""));
            }
        }
        return problems;
    }

    /** The bounding set the runtime gives: its defaults, less {@code drop} (ALL: every one), plus {@code add}. */
    private static Set<String> bounding(Capabilities capabilities) {
        Set<String> set = new LinkedHashSet<>(RUNTIME_DEFAULT);
        if (capabilities == null) {
            return set;
        }
        List<String> drop = Objects.requireNonNullElse(capabilities.getDrop(), List.of());
        if (drop.contains("ALL")) {
            set.clear();
        }
        drop.forEach(set::remove);
        set.addAll(Objects.requireNonNullElse(capabilities.getAdd(), List.of()));
        return set;
    }

    /**
     * What the Dockerfile's runtime stage makes of the image.
     *
     * @param fileCapabilities per binary name (under the JDK's bin/), the capabilities {@code setcap} gives it
     * @param launchers        per sub-command, the launcher the entry point starts ({@code *}: any other)
     * @param defaultArgs      the image's CMD
     * @param user             the image's USER
     */
    record Image(
            Map<String, Set<String>> fileCapabilities,
            Map<String, String> launchers,
            List<String> defaultArgs,
            long user) {
        private static final Pattern SETCAP = Pattern.compile("setcap (\\S+) \"\\$JAVA_HOME/bin/([\\w-]+)\"");
        private static final Pattern CASE_ARM = Pattern.compile("(?m)^\\s*([\\w*|]+)\\) launcher=([\\w-]+) ;;");
        private static final Pattern USER = Pattern.compile("(?m)^USER (\\d+)");
        private static final Pattern CMD = Pattern.compile("(?m)^CMD \\[(.*)]");
        private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[\"/app/pandaproxy\"]");

        static Image parse(String dockerfile, String entryPoint) {
            String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
            Map<String, Set<String>> caps = new HashMap<>();
            Matcher setcap = SETCAP.matcher(runtime);
            while (setcap.find()) {
                Set<String> names = new LinkedHashSet<>();
                for (String clause : setcap.group(1).split(" ")) {
                    String[] parts = clause.split("[=+]", 2);
                    for (String name : parts[0].split(",")) {
                        names.add(name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""));
                    }
                }
                caps.put(setcap.group(2), names);
            }
            assertThat(ENTRYPOINT.matcher(runtime).find())
                    .as("the Dockerfile's ENTRYPOINT is src/main/docker/pandaproxy")
                    .isTrue();
            Map<String, String> launchers = new HashMap<>();
            Matcher arm = CASE_ARM.matcher(entryPoint);
            while (arm.find()) {
                for (String command : arm.group(1).split("\\|")) {
                    launchers.put(command, arm.group(2));
                }
            }
            assertThat(launchers)
                    .as("src/main/docker/pandaproxy's launcher for any other command")
                    .containsKey("*");
            Matcher user = USER.matcher(runtime);
            Matcher cmd = CMD.matcher(runtime);
            assertThat(user.find()).as("USER in the runtime stage").isTrue();
            assertThat(cmd.find()).as("CMD in the runtime stage").isTrue();
            List<String> defaultArgs = List.of(cmd.group(1).replace("\"", "").split(",\\s*"));
            return new Image(Map.copyOf(caps), Map.copyOf(launchers), defaultArgs, Long.parseLong(user.group(1)));
        }

        /** The binary a container execs: its command's, or the one the entry point picks for its first argument. */
        String launcher(List<String> command, List<String> args) {
            if (!command.isEmpty()) {
                return Path.of(command.getFirst()).getFileName().toString();
            }
            String subCommand = (args.isEmpty() ? defaultArgs : args).getFirst();
            return launchers.getOrDefault(subCommand, launchers.get("*"));
        }
    }
}
