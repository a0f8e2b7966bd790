package dev.pandaproxy.ftp;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.TempDir;

/** What the FTPS proxy's tests share: a proxy of FTP alone in front of the simulator, its CA, its port. */
abstract class FtpProxyFixture {
    @TempDir
    Path dir;

    Map<String, String> ftpSettings(SimulatedPrinter printer) {
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("proxy.services", "ftp");
        return settings;
    }

    Path ca() {
        return dir.resolve("proxy/ca.pem");
    }

    /** A client's TLS that trusts the proxy CA; each call a context (and session cache) of its own. */
    SSLContext tls() {
        return Fixtures.trustingProxy(dir.resolve("proxy"));
    }

    static int port(PandaProxy proxy) {
        return proxy.ftp().orElseThrow().port();
    }

    /** True when the peer closed or reset the connection without sending a byte (not a timeout). */
    static boolean closedOrReset(InputStream in) {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException closedOrReset) {
            return true;
        }
    }
}
