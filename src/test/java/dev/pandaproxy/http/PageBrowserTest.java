package dev.pandaproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The page in a real browser: Debian's headless Chromium, driven through its own chromedriver by Selenium. The browser
 * trusts the proxy CA the way a user's would: imported into the NSS database of the browser's home directory (no
 * certificate errors are ignored). Screenshots of each state go to {@code target/screenshots/}.
 */
class PageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    private static SimulatedPrinter printer;
    private static PandaProxy proxy;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        Path chromium = RealPeers.require("chromium");
        Path chromedriver = RealPeers.require("chromedriver");
        Path certutil = RealPeers.require("certutil");
        printer = Fixtures.printer(dir.resolve("printer"));
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("proxy.services", "camera,mqtt");
        proxy = Fixtures.proxy(settings);

        // Chromium on Linux trusts the roots in $HOME/.pki/nssdb: a home of its own with the proxy CA in it
        Path home = Files.createDirectories(dir.resolve("home"));
        Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
        Programs.run(certutil.toString(), "-N", "-d", "sql:" + nssdb, "--empty-password");
        Programs.run(
                certutil.toString(),
                "-A",
                "-d",
                "sql:" + nssdb,
                "-n",
                "pandaproxy-test-ca",
                "-t",
                "C,,",
                "-i",
                dir.resolve("proxy/ca.pem").toString());

        // the system's chromedriver, named explicitly: Selenium Manager never runs, so nothing is downloaded
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("HOME", home.toString()))
                .build();
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + home.resolve("profile"),
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync");
        options.setAcceptInsecureCerts(false);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1000));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (printer != null) {
            printer.close();
        }
    }

    @Test
    void thePageShowsTheCameraTheStateAndTheDoctorWithoutConsoleErrors() throws IOException {
        browser.get("https://bblp:" + Fixtures.CODE + "@127.0.0.1:" + proxy.httpsPort() + "/");
        await().atMost(WAIT)
                .until(() -> "live".equals(browser.findElement(By.id("link")).getText()));

        // the camera shows frames, and they change
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("camera")).isEmpty());
        WebElement camera = browser.findElement(By.id("camera"));
        await().atMost(WAIT)
                .until(() ->
                        ((Number) browser.executeScript("return arguments[0].naturalWidth", camera)).intValue() > 0);
        byte[] first = camera.getScreenshotAs(OutputType.BYTES);
        await().atMost(WAIT).until(() -> !Arrays.equals(first, camera.getScreenshotAs(OutputType.BYTES)));

        // the printer's state and the proxy's, from the event stream
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.id("state")).getText().equals("IDLE"));
        assertThat(browser.findElement(By.id("ams")).getText()).contains("PLA", "PETG", "TPU");
        assertThat(browser.findElement(By.id("fingerprint")).getText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.id("services")).getText().contains("camera-http · 1 client"));
        screenshot("page-desktop");

        // a change in the printer reaches the page without reloading it
        String job = "benchy-" + UUID.randomUUID().toString().substring(0, 8);
        printer.mqtt()
                .publishReport(
                        ("{\"print\":{\"gcode_state\":\"RUNNING\",\"subtask_name\":\"" + job + "\",\"mc_percent\":37,"
                                        + "\"mc_remaining_time\":83,\"layer_num\":12,\"total_layer_num\":140,\"nozzle_target_temper\":220,"
                                        + "\"hms\":[{\"attr\":50331904,\"code\":65543}]}}")
                                .getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.id("job")).getText().equals(job));
        assertThat(browser.findElement(By.id("layer")).getText()).isEqualTo("12 / 140");
        WebElement hms = browser.findElement(By.cssSelector("#errors a"));
        assertThat(hms.getText()).isEqualTo("HMS 0300_0100_0001_0007");
        assertThat(hms.getAttribute("href"))
                .isEqualTo("https://wiki.bambulab.com/en/x1/troubleshooting/hmscode/0300_0100_0001_0007");
        screenshot("page-printing");

        // the doctor's checks, one line each
        // by keyboard: tab to the button, press Enter
        WebElement button = browser.findElement(By.id("doctor"));
        for (int tabs = 0; tabs < 50 && !button.equals(browser.switchTo().activeElement()); tabs++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement())
                .as("the doctor button, reached by Tab")
                .isEqualTo(button);
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> browser.findElements(By.cssSelector("#doctor-results li[data-status]"))
                                .size()
                        == 7);
        assertThat(browser.findElements(By.cssSelector("#doctor-results li")).stream()
                        .map(WebElement::getText)
                        .toList())
                .anySatisfy(line -> assertThat(line).startsWith("OK ca:"))
                .anySatisfy(line -> assertThat(line).startsWith("OK mqtt:"))
                .anySatisfy(line -> assertThat(line).startsWith("OK camera:"))
                .anySatisfy(line -> assertThat(line).startsWith("SKIP ftps:"));
        screenshot("page-doctor");

        // a phone, in dark mode
        browser.manage().window().setSize(new Dimension(380, 900));
        browser.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.tagName("body"))
                        .getCssValue("background-color")
                        .startsWith("rgba(15, 19, 24"));
        assertThat(((Number) browser.executeScript("return document.documentElement.scrollWidth")).intValue())
                .as("nothing wider than the phone's screen")
                .isLessThanOrEqualTo(((Number) browser.executeScript("return window.innerWidth")).intValue());
        screenshot("page-phone-dark");

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertThat(errors).as("console errors").isEmpty();
    }

    /** The whole page (beyond the window) as a PNG under target/screenshots. */
    private static void screenshot(String name) throws IOException {
        Map<String, Object> shot = browser.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }
}
