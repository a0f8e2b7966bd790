package dev.pandaproxy.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The TLS versions and cipher suites of every socket the proxy opens, toward the printer or its clients.
 *
 * <p>Printers speak TLS 1.2 only, and some printer ports and slicers need the plain-RSA key exchange
 * suites {@code TLS_RSA_WITH_AES_256_GCM_SHA384} and {@code TLS_RSA_WITH_AES_128_GCM_SHA256}, which
 * current JDKs disable through {@code jdk.tls.disabledAlgorithms} ({@code TLS_RSA_*}). That property is
 * JVM-wide and read once, so {@link #install()} runs before any other TLS use: it lifts exactly those two
 * suites (the other {@code TLS_RSA_*} suites stay disabled) and, unless the user chose otherwise, sets the
 * JDK's default suite lists to modern ECDHE/TLS 1.3 suites, so only sockets configured here offer RSA
 * key exchange.
 */
public final class TlsPolicy {
    /** Protocol versions on every printer-facing and client-facing socket: printers refuse or break on 1.3. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.2");

    /** The suites the JDK may keep using by default for everything else in this process. */
    private static final List<String> MODERN = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Plain-RSA key exchange suites that printers (port 3002) and slicers need; offered last. */
    static final List<String> RSA_GCM = List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384");

    /** The {@code TLS_RSA_*} suites that stay disabled once the wildcard is lifted. */
    private static final List<String> RSA_STILL_DISABLED = List.of(
            "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");

    /** Suites offered to clients (our key is RSA): ECDHE. */
    private static final List<String> SERVER_SUITES =
            MODERN.stream().filter(s -> s.startsWith("TLS_ECDHE_RSA")).toList();

    /**
     * Which suites a client-facing port offers. The plain-RSA suites give up forward secrecy, so only the ports
     * whose clients need them offer them.
     */
    public enum ClientSuites {
        /** ECDHE only: the chamber camera (Home Assistant, bambulabs_api and browsers all speak ECDHE). */
        ECDHE_ONLY(SERVER_SUITES),
        /**
         * ECDHE first, then the two RSA GCM suites: the ports of the slicer's network plugin (MQTT 8883, FTPS 990 and
         * its data connections, the detect port 3002), whose ClientHello needs them, and printers (the simulator).
         */
        WITH_PLAIN_RSA(Stream.concat(SERVER_SUITES.stream(), RSA_GCM.stream()).toList());

        private final List<String> suites;

        ClientSuites(List<String> suites) {
            this.suites = suites;
        }

        public List<String> suites() {
            return suites;
        }
    }

    /**
     * Suites offered to the printer: everything modern, the RSA GCM suites, and ECDHE-CBC as a last resort
     * for firmware we have not seen.
     */
    public static final List<String> PRINTER_SUITES = Stream.of(
                    MODERN.stream().filter(s -> s.startsWith("TLS_ECDHE")),
                    RSA_GCM.stream(),
                    Stream.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"))
            .flatMap(s -> s)
            .toList();

    private static boolean installed;

    private TlsPolicy() {}

    /** Adjusts the JVM-wide TLS settings once; call before anything else touches TLS. Idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled != null && disabled.contains("TLS_RSA_*")) {
            Security.setProperty(
                    "jdk.tls.disabledAlgorithms", disabled.replace("TLS_RSA_*", String.join(", ", RSA_STILL_DISABLED)));
        }
        for (String property : List.of("jdk.tls.client.cipherSuites", "jdk.tls.server.cipherSuites")) {
            if (System.getProperty(property) == null) {
                System.setProperty(property, String.join(",", MODERN));
            }
        }
        // TLS 1.2 session tickets off on the client side: printers (vsftpd/OpenSSL) announce a ticket
        // lifetime of 2^31-1 s, which JSSE discards (it keeps tickets of at most 7 days), and the
        // session can then not be resumed at all; without tickets the server caches the session by its
        // id, and the FTPS data connection resumes it, as the printer requires
        if (System.getProperty("jdk.tls.client.enableSessionTicketExtension") == null) {
            System.setProperty("jdk.tls.client.enableSessionTicketExtension", "false");
        }
        installed = true;
    }

    /** A TLS context for our sockets; the policy is installed first, whoever calls. */
    static SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        install();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /** An unbound server socket of {@code context} with the client-facing protocol and {@code suites}. */
    public static SSLServerSocket newServerSocket(SSLContext context, ClientSuites suites) throws IOException {
        SSLServerSocket socket =
                (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setSSLParameters(parameters(suites.suites()));
        return socket;
    }

    /** Applies the client-facing protocol and {@code suites} to a server-mode socket layered over an accepted one. */
    public static SSLSocket configureServer(SSLSocket socket, ClientSuites suites) {
        socket.setSSLParameters(parameters(suites.suites()));
        return socket;
    }

    /** Applies the client-facing protocol and {@code suites} to a server engine. */
    public static SSLEngine configureServer(SSLEngine engine, ClientSuites suites) {
        engine.setSSLParameters(parameters(suites.suites()));
        return engine;
    }

    /** Applies the printer-facing protocol and suites to a client engine. */
    public static SSLEngine configureToPrinter(SSLEngine engine) {
        engine.setSSLParameters(parameters(PRINTER_SUITES));
        return engine;
    }

    /** Applies the printer-facing protocol and suites to a client socket. */
    public static SSLSocket configureToPrinter(SSLSocket socket) {
        socket.setSSLParameters(parameters(PRINTER_SUITES));
        return socket;
    }

    /**
     * Our protocols and {@code suites}, in our order of preference also when we are the server: AES-128
     * first, which is as safe for this use and takes fewer rounds per block than AES-256 (a camera fan-out
     * encrypts every frame once per viewer).
     */
    private static SSLParameters parameters(List<String> suites) {
        SSLParameters parameters = new SSLParameters(suites.toArray(String[]::new), PROTOCOLS.toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }
}
