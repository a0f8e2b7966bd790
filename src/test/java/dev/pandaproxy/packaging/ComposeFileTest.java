package dev.pandaproxy.packaging;

import static dev.pandaproxy.packaging.Manifests.CHART;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker Compose files of {@code deploy/compose}: they parse (anchors and merge keys resolved, no key twice), run
 * the image and version the chart installs, as the image's user, with host networking, no capability but
 * NET_BIND_SERVICE (which the proxy launcher's file capability needs, so without no-new-privileges), the image's state directory in a
 * named volume, its health check, a restart policy, rotated logs and the memory the README's heap needs. They name no
 * variable that neither {@code .env.example} sets nor the README documents, and {@code .env.example} sets only settings
 * the README documents, under the original PandaProxy's names where it had them. The several-printers file runs
 * exactly compose.yaml's proxy once per printer, each with its own settings.
 */
class ComposeFileTest {
    private static final Path DIR = Path.of("deploy", "compose");
    private static final Path ENV_EXAMPLE = DIR.resolve(".env.example");
    private static final List<String> FILES = List.of("compose.yaml", "several-printers.yaml");
    /** {@code ${NAME}}, {@code ${NAME:-default}} (Compose's) and {@code $${NAME}} (the container shell's). */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$?\\{([A-Za-z_][A-Za-z0-9_]*)");
    /** {@code NAME=value} in .env.example, set or commented out as an example. */
    private static final Pattern SETTING = Pattern.compile("(?m)^#?([A-Z][A-Za-z0-9_]*)=(.*)$");

    private static final String STATE_VOLUME = "state";

    private static Map<String, Object> services(String file) {
        return YamlFile.map(YamlFile.load(DIR.resolve(file)).get("services"), file + ": services");
    }

    private static Map<String, Object> service(String file, String name) {
        return YamlFile.map(services(file).get(name), file + ": service " + name);
    }

    private static Map<String, String> exampleSettings() {
        Map<String, String> settings = new HashMap<>();
        Matcher lines = SETTING.matcher(Manifests.read(ENV_EXAMPLE));
        while (lines.find()) {
            settings.put(lines.group(1), lines.group(2));
        }
        return settings;
    }

    /** The image's state directory: $XDG_STATE_HOME/pandaproxy, with the XDG_STATE_HOME the Dockerfile sets. */
    private static String imageStateDir() {
        Matcher env = Pattern.compile("(?m)^ENV XDG_STATE_HOME=(\\S+)$").matcher(Manifests.read(Path.of("Dockerfile")));
        assertThat(env.find()).as("the Dockerfile sets XDG_STATE_HOME").isTrue();
        return env.group(1) + "/pandaproxy";
    }

    @Test
    void bothFilesParseWithTheServicesTheyDescribe() {
        assertThat(services("compose.yaml")).containsOnlyKeys("ca", "pandaproxy", "mediamtx");
        assertThat(services("several-printers.yaml")).containsOnlyKeys("ca", "p1s", "x1c", "mediamtx-x1c");
        for (String file : FILES) {
            Map<String, Object> compose = YamlFile.load(DIR.resolve(file));
            // one project name, so switching from one file to the other keeps the volume, its CA and its pins
            assertThat(compose.get("name")).as("%s: name", file).isEqualTo("pandaproxy");
            assertThat(YamlFile.map(compose.get("volumes"), file + ": volumes")).containsOnlyKeys(STATE_VOLUME);
        }
    }

    @Test
    void everyServiceRunsTheChartsImagesAsTheChartsUser() {
        Map<String, Object> values = YamlFile.load(CHART.resolve("values.yaml"));
        PodSecurityContext pod = Manifests.only(Manifests.render(Map.of()), Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext();
        String chartUser = pod.getRunAsUser() + ":" + pod.getRunAsGroup();
        for (String file : FILES) {
            services(file).forEach((name, node) -> {
                Map<String, Object> service = YamlFile.map(node, file + ": " + name);
                Object expected =
                        name.startsWith("mediamtx") ? values.get("mediamtxImage") : ReleaseVersionTest.chartImage();
                assertThat(service.get("image")).as("%s: %s image", file, name).isEqualTo(expected);
                assertThat(service.get("user")).as("%s: %s user", file, name).isEqualTo(chartUser);
                assertThat(service.get("cap_drop"))
                        .as("%s: %s cap_drop", file, name)
                        .isEqualTo(List.of("ALL"));
                assertThat(service.get("read_only"))
                        .as("%s: %s read_only", file, name)
                        .isEqualTo(true);
                assertThat(YamlFile.get(service, "logging", "driver"))
                        .as("%s: %s logs", file, name)
                        .isEqualTo("json-file");
                assertThat(YamlFile.map(YamlFile.get(service, "logging", "options"), name + " logging options"))
                        .as("%s: %s log rotation", file, name)
                        .containsKeys("max-size", "max-file");
            });
        }
    }

    @Test
    void theProxyGetsOnlyTheCapabilityJavasFileCapabilityNeedsOnTheHostsNetwork() {
        // what the image gives the proxy's launcher, and so the only capability the container's bounding set must keep
        assertThat(Manifests.read(Path.of("Dockerfile")))
                .contains("setcap cap_net_bind_service=+ep \"$JAVA_HOME/bin/java-netbind\"");
        Map<String, Object> proxy = service("compose.yaml", "pandaproxy");
        assertThat(proxy.get("network_mode")).isEqualTo("host");
        assertThat(proxy.get("cap_add")).isEqualTo(List.of("NET_BIND_SERVICE"));
        // no-new-privileges makes execve ignore file capabilities: the proxy could not bind 322 and 990
        assertThat(String.valueOf(proxy.get("security_opt"))).doesNotContain("no-new-privileges");
        assertThat(proxy.get("privileged")).isNull();
        // The helpers need no capability and give up gaining any: `ca` starts the JDK's plain java, which carries no
        // file capability (ContainerSecurityTest), so nothing needs to stay in its bounding set.
        Map<String, Object> ca = service("compose.yaml", "ca");
        assertThat(ca.get("cap_add")).isNull();
        assertThat(ca.get("security_opt")).isEqualTo(List.of("no-new-privileges:true"));
        Map<String, Object> mediamtx = service("compose.yaml", "mediamtx");
        assertThat(mediamtx.get("cap_add")).isNull();
        assertThat(mediamtx.get("security_opt")).isEqualTo(List.of("no-new-privileges:true"));
    }

    @Test
    void theStateDirectoryIsANamedVolumeThatTheCaCreatesBeforeTheProxyStarts() {
        String stateDir = imageStateDir();
        Map<String, Object> proxy = service("compose.yaml", "pandaproxy");
        assertThat(proxy.get("volumes")).isEqualTo(List.of(STATE_VOLUME + ":" + stateDir));
        assertThat(service("compose.yaml", "ca").get("volumes")).isEqualTo(List.of(STATE_VOLUME + ":" + stateDir));
        assertThat(service("compose.yaml", "ca").get("command")).isEqualTo(List.of("ca"));
        assertThat(YamlFile.get(proxy, "depends_on", "ca", "condition")).isEqualTo("service_completed_successfully");
        // MediaMTX reads what the proxy writes there (README: <state dir>/<serial>/rtsp/mediamtx.yml), and only reads
        Map<String, Object> mediamtx = service("compose.yaml", "mediamtx");
        assertThat(mediamtx.get("volumes")).isEqualTo(List.of(STATE_VOLUME + ":" + stateDir + ":ro"));
        assertThat(mediamtx.get("command")).isEqualTo(List.of(stateDir + "/${SERIAL_NUMBER}/rtsp/mediamtx.yml"));
        assertThat(mediamtx.get("profiles")).isEqualTo(List.of("rtsp"));
        assertThat(exampleSettings())
                .containsEntry("COMPOSE_PROFILES", "rtsp")
                .containsEntry("CAMERA_MEDIAMTX", "external");
    }

    @Test
    void theProxyIsHealthCheckedRestartedAndLimitedToTheMemoryTheReadmeStates() {
        Map<String, Object> proxy = service("compose.yaml", "pandaproxy");
        // the image's check: its HEALTHCHECK runs src/main/docker/healthcheck, which asks the running command's
        // readiness
        assertThat(Manifests.read(Path.of("Dockerfile")))
                .contains("HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD [\"/app/healthcheck\"]");
        Matcher imageCheck = Pattern.compile("(/observe/health/\\w+)")
                .matcher(Manifests.read(Path.of("src", "main", "docker", "healthcheck")));
        assertThat(imageCheck.find()).isTrue();
        // the image's check, but at the proxy's own address and port (BIND_ADDRESS may be one of several of the host)
        assertThat(YamlFile.list(YamlFile.get(proxy, "healthcheck", "test"), "healthcheck.test"))
                .last()
                .asString()
                .contains("http://$${BIND_ADDRESS:-127.0.0.1}:$${PROXY_PORTS_HTTP:-8080}" + imageCheck.group(1));
        assertThat(proxy.get("restart")).isEqualTo("unless-stopped");
        // the heap's bound is the image's JVM options (src/main/jvm/jvm.options, /app/jvm.options in the image); the
        // limit is four times that: the rest of the JVM at 200 viewers (BENCHMARKS.md "Footprint") and ffmpeg
        assertThat(Manifests.read(Path.of("Dockerfile")))
                .contains("/app/jvm.options")
                .doesNotContain("-Xmx");
        Matcher heap = Pattern.compile("(?m)^-Xmx(\\d+)m$")
                .matcher(Manifests.read(Path.of("src", "main", "jvm", "jvm.options")));
        assertThat(heap.find()).as("jvm.options bounds the heap").isTrue();
        assertThat(proxy.get("mem_limit")).isEqualTo(4 * Integer.parseInt(heap.group(1)) + "m");
    }

    @Test
    void theFilesNameOnlyVariablesTheExampleSetsOrTheReadmeDocuments() {
        Set<String> defined = exampleSettings().keySet();
        for (String file : FILES) {
            Set<String> named = new LinkedHashSet<>();
            Matcher variables = VARIABLE.matcher(Manifests.read(DIR.resolve(file)));
            while (variables.find()) {
                named.add(variables.group(1));
            }
            assertThat(named)
                    .as("%s: variables", file)
                    .allSatisfy(name -> assertThat(defined.contains(name) || Readme.documentsVariable(name))
                            .as("%s names %s, which neither .env.example sets nor the README documents", file, name)
                            .isTrue());
        }
        assertThat(service("compose.yaml", "pandaproxy").get("env_file")).isEqualTo(List.of(".env"));
    }

    @Test
    void theExampleSetsTheOriginalsVariablesAndOnlySettingsTheReadmeDocuments() {
        Map<String, String> settings = exampleSettings();
        // the original PandaProxy's names, so that its .env works as it is
        assertThat(Manifests.read(ENV_EXAMPLE))
                .containsPattern("(?m)^PRINTER_IP=")
                .containsPattern("(?m)^ACCESS_CODE=")
                .containsPattern("(?m)^SERIAL_NUMBER=");
        assertThat(settings).containsKeys("BIND_ADDRESS", "SERVICES", "ENABLE_ALL");
        assertThat(settings.keySet())
                .allSatisfy(name -> assertThat(Readme.documentsVariable(name))
                        .as(".env.example sets %s, which the README does not document", name)
                        .isTrue());
    }

    @Test
    void severalPrintersRunComposeYamlsProxyEachWithItsOwnSettings() {
        Map<String, Object> proxy = new HashMap<>(service("compose.yaml", "pandaproxy"));
        proxy.remove("env_file");
        Map<String, Object> mediamtx = new HashMap<>(service("compose.yaml", "mediamtx"));
        mediamtx.remove("profiles");
        mediamtx.remove("command");
        Set<Object> envFiles = new LinkedHashSet<>();
        services("several-printers.yaml").forEach((name, node) -> {
            Map<String, Object> service = new HashMap<>(YamlFile.map(node, name));
            if (name.equals("ca")) {
                assertThat(service).isEqualTo(service("compose.yaml", "ca"));
            } else if (name.startsWith("mediamtx-")) {
                assertThat(String.valueOf(service.remove("command")))
                        .matches("\\[" + imageStateDir() + "/\\w+/rtsp/mediamtx\\.yml]");
                assertThat(service).as(name).isEqualTo(mediamtx);
            } else {
                Object envFile = service.remove("env_file");
                assertThat(envFile).as("%s: env_file", name).isEqualTo(List.of(name + ".env"));
                envFiles.add(envFile);
                assertThat(service).as("%s: compose.yaml's proxy", name).isEqualTo(proxy);
            }
        });
        assertThat(envFiles).hasSize(2);
    }

    @Test
    void theReadmeRunsTheseFilesAsTheyAreNamed() {
        List<String> commands =
                Readme.commands().stream().map(Command::toString).toList();
        assertThat(commands)
                .contains(
                        "docker compose up -d",
                        "docker compose -f several-printers.yaml up -d",
                        "docker compose run --rm -T ca > pandaproxy-ca.pem");
        assertThat(Readme.text()).contains("cp .env.example .env");
    }
}
