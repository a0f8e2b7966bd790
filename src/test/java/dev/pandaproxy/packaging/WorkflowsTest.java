package dev.pandaproxy.packaging;

import static dev.pandaproxy.packaging.Manifests.CHART;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions workflows, checked as far as a machine without GitHub can: they parse, start on what they are
 * meant to (every push and pull request; a version tag), hold no more rights than they use, name every action by a
 * commit or an exact version, and run the commands the README documents — {@code .ci/run} (which runs
 * {@code ./mvnw verify}) and the README's {@code docker build} — so that what the README tells a user is what the
 * release is made with. The release publishes the image and chart the chart's values and the README name.
 */
class WorkflowsTest {
    private static final Path WORKFLOWS = Path.of(".github", "workflows");
    /** owner/repo[/path]@ a full commit SHA or a vX.Y.Z tag; branches and short tags move. */
    private static final Pattern PINNED =
            Pattern.compile("[\\w.-]+/[\\w.-]+(/[\\w./-]+)?@([0-9a-f]{40}|v\\d+\\.\\d+\\.\\d+)");

    private static final Pattern OCI_CHART = Pattern.compile("oci://[\\w./-]+");
    private static final String BOTH_ARCHITECTURES = "linux/amd64,linux/arm64";

    private static Map<String, Map<String, Object>> workflows() throws IOException {
        Map<String, Map<String, Object>> workflows = new LinkedHashMap<>();
        try (var files = Files.list(WORKFLOWS)) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                workflows.put(file.getFileName().toString(), YamlFile.load(file));
            }
        }
        return workflows;
    }

    private static List<Map<String, Object>> steps(Map<String, Object> workflow) {
        List<Map<String, Object>> steps = new ArrayList<>();
        YamlFile.map(workflow.get("jobs"), "jobs")
                .forEach((name, job) -> YamlFile.list(YamlFile.get(job, "steps"), name + ".steps")
                        .forEach(step -> steps.add(YamlFile.map(step, name + " step"))));
        return steps;
    }

    private static List<Command> commands(Map<String, Object> workflow) {
        return steps(workflow).stream()
                .map(step -> step.get("run"))
                .filter(Objects::nonNull)
                .flatMap(run -> Command.in(run.toString()).stream())
                .toList();
    }

    private static Map<String, Object> workflow(String file) throws IOException {
        return Objects.requireNonNull(workflows().get(file), WORKFLOWS.resolve(file) + " is missing");
    }

    @Test
    void everyWorkflowParsesAndAsksForReadAccessOnlyUnlessAJobNeedsMore() throws IOException {
        Map<String, Map<String, Object>> workflows = workflows();
        assertThat(workflows).containsOnlyKeys("ci.yml", "release.yml");
        workflows.forEach((file, workflow) -> {
            assertThat(workflow.get("name")).as("%s: name", file).isNotNull();
            assertThat(YamlFile.get(workflow, "on")).as("%s: on", file).isNotNull();
            // the default token may write to the repository; every workflow narrows it, and jobs widen it themselves
            assertThat(workflow.get("permissions"))
                    .as("%s: top-level permissions", file)
                    .isEqualTo(Map.of("contents", "read"));
            YamlFile.map(workflow.get("jobs"), file + ": jobs").forEach((name, job) -> {
                assertThat(YamlFile.get(job, "runs-on"))
                        .as("%s: %s runs-on", file, name)
                        .isNotNull();
                assertThat(YamlFile.list(YamlFile.get(job, "steps"), file + ": " + name + ".steps"))
                        .isNotEmpty();
            });
        });
    }

    @Test
    void everyActionIsPinnedToACommitOrAnExactVersion() throws IOException {
        List<String> uses = new ArrayList<>();
        for (Map<String, Object> workflow : workflows().values()) {
            steps(workflow).stream()
                    .map(step -> step.get("uses"))
                    .filter(Objects::nonNull)
                    .forEach(use -> uses.add(use.toString()));
        }
        assertThat(uses)
                .isNotEmpty()
                .allSatisfy(use -> assertThat(use).as("uses: %s", use).matches(PINNED));
    }

    @Test
    void ciRunsOnEveryPushAndPullRequestAndTheReleaseOnVersionTags() throws IOException {
        Map<String, Object> ci = workflow("ci.yml");
        assertThat(YamlFile.get(ci, "on", "push", "branches")).isEqualTo(List.of("**"));
        assertThat(YamlFile.map(YamlFile.get(ci, "on"), "ci.yml: on")).containsKey("pull_request");
        Map<String, Object> release = workflow("release.yml");
        assertThat(YamlFile.get(release, "on", "push", "tags")).isEqualTo(List.of("v*"));
        assertThat(YamlFile.get(release, "on", "push", "branches")).isNull();
    }

    @Test
    void bothWorkflowsTestAsTheReadmeSaysAndTheReleaseOnlyTheMavenVersion() throws IOException {
        // .ci/run ends in the README's test command
        List<Command> ciRun = Command.in(Manifests.read(Path.of(".ci", "run")));
        assertThat(ciRun).last().hasToString("./mvnw verify");
        assertThat(Readme.commands()).extracting(Command::toString).contains("./mvnw verify");
        assertThat(Readme.text()).contains("`.ci/run`");

        for (String file : List.of("ci.yml", "release.yml")) {
            List<Command> commands = commands(workflow(file));
            assertThat(commands)
                    .as("%s runs .ci/run", file)
                    .extracting(Command::program)
                    .contains(".ci/run");
            // any other Maven run is one the README documents too (same goals and options)
            assertThat(commands)
                    .filteredOn(command -> command.program().equals("./mvnw"))
                    .allSatisfy(command -> assertThat(Readme.commands())
                            .as("the README documents %s", command)
                            .anySatisfy(documented -> assertThat(documented).hasToString(command.toString())));
        }
        // the release stops unless its tag is v<the Maven version>
        String tagCheck = steps(workflow("release.yml")).stream()
                .map(step -> String.valueOf(step.get("run")))
                .filter(run -> run.contains("help:evaluate"))
                .findFirst()
                .orElseThrow();
        assertThat(tagCheck)
                .contains("-Dexpression=project.version")
                .contains("\"v$version\" != \"$GITHUB_REF_NAME\"")
                .contains("exit 1");
    }

    @Test
    void everyImageBuildIsTheReadmesDockerCommand() throws IOException {
        List<Command> builds = new ArrayList<>();
        for (Map<String, Object> workflow : workflows().values()) {
            commands(workflow).stream().filter(WorkflowsTest::isImageBuild).forEach(builds::add);
        }
        List<Command> documented =
                Readme.commands().stream().filter(WorkflowsTest::isImageBuild).toList();
        assertThat(builds).isNotEmpty().allSatisfy(build -> {
            // the repository's Dockerfile and context, as the README builds it
            assertThat(build.option("-f").or(() -> build.option("--file")))
                    .as("%s names another Dockerfile", build)
                    .isEmpty();
            assertThat(build.arguments()).as("%s: context", build).containsExactly(".");
            assertThat(documented).as("the README documents %s", build).anySatisfy(readme -> {
                assertThat(readme.verb()).isEqualTo(build.verb());
                assertThat(readme.option("--platform")).isEqualTo(build.option("--platform"));
                assertThat(readme.arguments()).isEqualTo(build.arguments());
                assertThat(build.optionNames()).containsAll(readme.optionNames());
            });
        });
        // every push builds both architectures, so an arm64 break shows before a release
        assertThat(commands(workflow("ci.yml")))
                .filteredOn(WorkflowsTest::isImageBuild)
                .anySatisfy(build -> assertThat(build.option("--platform")).contains(BOTH_ARCHITECTURES));
    }

    @Test
    void theReleasePushesBothArchitecturesWithAttestationsAndSignsThem() throws IOException {
        Map<String, Object> release = workflow("release.yml");
        Command push = commands(release).stream()
                .filter(WorkflowsTest::isImageBuild)
                .filter(c -> c.optionNames().contains("--push"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("release.yml pushes no image"));
        assertThat(push.option("--platform")).contains(BOTH_ARCHITECTURES);
        assertThat(push.option("--sbom")).contains("true");
        assertThat(push.option("--provenance")).contains("mode=max");
        assertThat(push.option("--tag")).contains("\"$IMAGE:$VERSION\"");
        // signed by digest, keyless: the job may ask GitHub for an OIDC token
        assertThat(steps(release))
                .map(step -> String.valueOf(step.get("run")))
                .anyMatch(run -> run.contains("cosign sign --yes \"$IMAGE@$DIGEST\""));
        assertThat(YamlFile.get(release, "jobs", "image", "permissions", "id-token"))
                .isEqualTo("write");
        assertThat(YamlFile.get(release, "jobs", "image", "permissions", "packages"))
                .isEqualTo("write");
    }

    @Test
    void theReleasePublishesTheImageAndChartThatTheChartAndTheReadmeName() throws IOException {
        // the image the release pushes, and the one CI builds for the Compose file, is the one the chart installs
        Object repository = YamlFile.get(YamlFile.load(CHART.resolve("values.yaml")), "image", "repository");
        List<Object> images = new ArrayList<>();
        for (Map<String, Object> workflow : workflows().values()) {
            images.add(YamlFile.get(workflow, "env", "IMAGE"));
            YamlFile.map(workflow.get("jobs"), "jobs")
                    .values()
                    .forEach(job -> images.add(YamlFile.get(job, "env", "IMAGE")));
        }
        assertThat(images).filteredOn(Objects::nonNull).hasSize(2).containsOnly(repository);
        Map<String, Object> release = workflow("release.yml");

        // the README's install command pulls the chart from where the release pushes it, in the chart's version
        String charts = String.valueOf(YamlFile.get(release, "env", "CHARTS"));
        assertThat(commands(release))
                .anySatisfy(command ->
                        assertThat(command).hasToString("helm push \"pandaproxy-$VERSION.tgz\" \"$CHARTS\""));
        Map<String, Object> chart = YamlFile.load(CHART.resolve("Chart.yaml"));
        List<Command> installs = Readme.commands().stream()
                .filter(command -> command.verb().size() > 3
                        && command.verb().subList(0, 3).equals(List.of("helm", "install", "pandaproxy"))
                        && OCI_CHART.matcher(command.verb().get(3)).matches())
                .toList();
        assertThat(installs)
                .as("the README installs the published chart")
                .isNotEmpty()
                .allSatisfy(install -> {
                    assertThat(install.verb().get(3)).isEqualTo(charts + "/" + chart.get("name"));
                    assertThat(install.option("--version")).contains(String.valueOf(chart.get("version")));
                });
        // the README's `helm pull`/`helm show` of the published chart, if any, name it the same way
        Matcher anywhere = OCI_CHART.matcher(Readme.text());
        while (anywhere.find()) {
            assertThat(anywhere.group()).as("an OCI address in the README").isEqualTo(charts + "/" + chart.get("name"));
        }
        assertThat(YamlFile.get(release, "jobs", "release", "permissions", "contents"))
                .isEqualTo("write");
    }

    private static boolean isImageBuild(Command command) {
        List<String> verb = command.verb();
        return verb.equals(List.of("docker", "build")) || verb.equals(List.of("docker", "buildx", "build"));
    }
}
