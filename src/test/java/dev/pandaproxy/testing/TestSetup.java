package dev.pandaproxy.testing;

import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.logging.common.LogConfig;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs before any test what {@code Main} runs before anything else: the TLS policy edits JVM-wide settings
 * that the JDK reads once, so it must precede every TLS use in the test JVM, whichever test runs first.
 */
public final class TestSetup implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        TlsPolicy.install();
        System.setProperty("java.awt.headless", "true");
        // Helidon configures logging once, when first asked; asked later (by a web server starting) it would
        // reset the handlers tests install to capture log lines
        LogConfig.configureRuntime();
    }
}
