package dev.pandaproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pandaproxy.config.TrustMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** What our TLS sockets accept and offer, checked with real handshakes. */
class TlsPolicyTest {
    private static final ServerIdentity IDENTITY = CertificateAuthority.generate("test CA")
            .issue("01P00A000000001", SubjectNames.forServer("01P00A000000001", "127.0.0.1", List.of()));

    @Test
    void slicersPlainRsaSuitesAreAccepted() throws Exception {
        for (String suite : TlsPolicy.RSA_GCM) {
            assertThat(handshake(new String[] {"TLSv1.2"}, new String[] {suite}))
                    .isEqualTo(suite);
        }
    }

    @Test
    void modernClientsGetEcdhe() throws Exception {
        assertThat(handshake(new String[] {"TLSv1.2", "TLSv1.3"}, null)).startsWith("TLS_ECDHE_RSA_");
        assertThat(handshake(TlsPolicy.ClientSuites.ECDHE_ONLY, new String[] {"TLSv1.2", "TLSv1.3"}, null))
                .startsWith("TLS_ECDHE_RSA_");
    }

    @Test
    void portsWhoseClientsNeedNoPlainRsaRefuseIt() {
        for (String suite : TlsPolicy.RSA_GCM) {
            assertThatThrownBy(() -> handshake(
                            TlsPolicy.ClientSuites.ECDHE_ONLY, new String[] {"TLSv1.2"}, new String[] {suite}))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void ourOrderDecidesSoClientsPreferringAes256GetAes128() throws Exception {
        String[] aes256First = {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
        assertThat(handshake(new String[] {"TLSv1.2"}, aes256First)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        String[] rsa256First = {"TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256"};
        assertThat(handshake(new String[] {"TLSv1.2"}, rsa256First)).isEqualTo("TLS_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void tls13OnlyClientsAreRefusedLikeThePrinterRefusesThem() {
        assertThatThrownBy(() -> handshake(new String[] {"TLSv1.3"}, null)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void rsaKeyExchangeStaysOffEverywhereElseInTheJvm() throws Exception {
        SSLContext defaults = SSLContext.getDefault();
        assertThat(defaults.getDefaultSSLParameters().getCipherSuites()).noneMatch(s -> s.startsWith("TLS_RSA_"));
        assertThat(TlsPolicy.PRINTER_SUITES).containsAll(TlsPolicy.RSA_GCM);
        assertThatThrownBy(() -> handshake(new String[] {"TLSv1.2"}, new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA256"}))
                .isInstanceOf(IOException.class);
    }

    /** Handshakes a client with these protocols and suites (null: JDK defaults) with a slicer-facing server socket. */
    private static String handshake(String[] protocols, String[] clientSuites) throws Exception {
        return handshake(TlsPolicy.ClientSuites.WITH_PLAIN_RSA, protocols, clientSuites);
    }

    /** Handshakes a client with these protocols and suites (null: JDK defaults) with a server socket offering {@code suites}. */
    private static String handshake(TlsPolicy.ClientSuites suites, String[] protocols, String[] clientSuites)
            throws Exception {
        try (SSLServerSocket server = TlsPolicy.newServerSocket(IDENTITY.serverContext(), suites)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.startHandshake();
                    socket.getInputStream().read();
                } catch (IOException ignored) {
                    // the client's view is what the test checks
                }
            });
            SSLContext trustAll = PrinterTrust.create(TrustMode.INSECURE, Optional.empty(), Path.of("unused"), "unused")
                    .clientContext();
            try (SSLSocket client = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
                client.connect(server.getLocalSocketAddress(), 5000);
                client.setEnabledProtocols(protocols);
                if (clientSuites != null) {
                    client.setEnabledCipherSuites(clientSuites);
                }
                client.startHandshake();
                return client.getSession().getCipherSuite();
            } finally {
                accepted.join();
            }
        }
    }
}
