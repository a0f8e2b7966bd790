package dev.pandaproxy.service;

import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.RelayConfig;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Relay;
import dev.pandaproxy.status.ServiceStats;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What every printer service of one proxy shares: one printer, the TLS contexts toward it and toward clients, one
 * listening address, one failed-login throttle and one set of relay limits. A service's constructor takes this and
 * only what is its own (its configuration section and its ports).
 *
 * @param printer          the printer: address, ports, access code, timeouts
 * @param toPrinter        TLS toward the printer (its trust decides which certificate is accepted)
 * @param toClients        TLS toward clients (the proxy's certificate)
 * @param bindAddress      where the services listen
 * @param advertiseAddress the address clients should use for the proxy, if configured
 * @param stateDir         where the proxy keeps what outlives a restart
 * @param throttle         the failed-login throttle, one for every service so failures anywhere count together
 * @param relay            timeouts and client cap of the raw relays
 */
public record ServiceContext(
        PrinterConfig printer,
        SSLContext toPrinter,
        SSLContext toClients,
        String bindAddress,
        Optional<String> advertiseAddress,
        Path stateDir,
        LoginThrottle throttle,
        RelayConfig relay) {

    /**
     * A listener handler that relays each client raw to the printer's {@code printerPort}, under the relay limits.
     *
     * @param name its threads' and log lines' name
     */
    public Listener.Handler relayToPrinter(
            String name, int printerPort, Relay.FirstWord firstWord, ServiceStats stats) {
        return Relay.to(name, printer.host(), printerPort, printer.connectTimeout(), relay, firstWord, stats);
    }

    /** This printer's own directory in the state directory. */
    public Path printerDir() {
        return stateDir.resolve(printer.serial());
    }
}
