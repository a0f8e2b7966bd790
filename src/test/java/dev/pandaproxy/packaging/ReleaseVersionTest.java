package dev.pandaproxy.packaging;

import static dev.pandaproxy.packaging.Manifests.CHART;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.Version;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One version: the Maven project's. The chart's version and appVersion are that version (without {@code -SNAPSHOT}
 * between releases), the image the chart installs is tagged with the appVersion, and the release workflow publishes a
 * tag only when it names the Maven version (WorkflowsTest), so image, chart and jar of one release carry one number.
 */
class ReleaseVersionTest {
    /** The version being released or prepared: the Maven version as the build filtered it, without -SNAPSHOT. */
    static String releaseVersion() {
        assertThat(Version.current())
                .as("the Maven version (pandaproxy-version.properties)")
                .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        return Version.current().replaceFirst("-SNAPSHOT$", "");
    }

    /** The image the chart installs by default: image.repository, tagged with the appVersion. */
    static String chartImage() {
        return YamlFile.get(YamlFile.load(CHART.resolve("values.yaml")), "image", "repository") + ":"
                + YamlFile.get(YamlFile.load(CHART.resolve("Chart.yaml")), "appVersion");
    }

    @Test
    void theChartsVersionAndAppVersionAreTheMavenVersion() {
        Map<String, Object> chart = YamlFile.load(CHART.resolve("Chart.yaml"));
        String expected = releaseVersion();
        assertThat(chart.get("version"))
                .as("version in Chart.yaml: set it to the version in pom.xml")
                .isEqualTo(expected);
        // quoted in Chart.yaml, or YAML could read e.g. 1.10 as a number
        assertThat(chart.get("appVersion"))
                .as("appVersion in Chart.yaml: set it to the version in pom.xml")
                .isEqualTo(expected);
    }

    @Test
    void theImageTagDefaultsToTheAppVersion() {
        assertThat(YamlFile.get(YamlFile.load(CHART.resolve("values.yaml")), "image", "tag"))
                .as("image.tag in values.yaml")
                .isEqualTo("");
        Deployment operator = Manifests.only(Manifests.render(Map.of()), Deployment.class);
        var container =
                operator.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo(chartImage()).endsWith(":" + releaseVersion());
        // printer pods run the same image
        assertThat(container.getEnv())
                .filteredOn(env -> env.getName().equals("PROXY_IMAGE"))
                .extracting(EnvVar::getValue)
                .containsExactly(chartImage());
    }
}
