package dev.pandaproxy.testing;

import dev.pandaproxy.tls.TlsPolicy;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Runs before any test, as {@code Main} does before anything else: the TLS policy edits JVM-wide settings
 * that the JDK reads once, so it must precede every TLS use in the test JVM, whichever test runs first.
 */
public final class TestSetup implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        TlsPolicy.install();
        System.setProperty("java.awt.headless", "true");
    }
}
