package dev.pandaproxy.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.config.FtpConfig;
import dev.pandaproxy.config.SlicerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Announcements the proxy must not take for the printer's, nor repeat. */
class HostileAnnouncementsTest {
    private static final String SERIAL = "01P00A000000001";

    @ParameterizedTest
    @ValueSource(strings = {"My P1S\rLocation: 10.6.6.6", "My P1S\u0000", "My P1S\u001b[2J"})
    void headerValuesWithControlCharactersAreRefused(String name) {
        byte[] datagram = notify(name).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SsdpMessage.parse(datagram, datagram.length))
                .isInstanceOf(DiscoveryProtocolException.class)
                .hasMessageContaining("control character")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\u0000", "\u001b"));
    }

    @Test
    void onlyThePrintersAddressMayAnnounceThePrinter() throws Exception {
        SlicerConfig config = new SlicerConfig(
                true,
                List.of(NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress())
                        .getName()),
                1,
                Duration.ofMinutes(1),
                " (proxy)",
                false,
                false,
                new FtpConfig.PortRange(2024, 2026),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        PrinterIdentitySource identity = new PrinterIdentitySource(SERIAL, config, Optional::empty);
        DiscoveryService discovery = new DiscoveryService(config, "127.0.0.1", 0, Optional.of("127.0.0.1"), identity);
        discovery.start();
        try (DatagramSocket impostor = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
                DatagramSocket printer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            send(impostor, notify("Impostor"), discovery.port());
            send(printer, notify("My P1S"), discovery.port());
            // datagrams are handled in order: once the printer's counts, the impostor's was seen before it
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> discovery.status().counters().get("received_messages") >= 1);
            assertThat(discovery.status().counters()).containsEntry("received_messages", 1L);
            assertThat(identity.current().orElseThrow().name()).isEqualTo("My P1S");
        } finally {
            discovery.close();
        }
    }

    private static void send(DatagramSocket from, String message, int port) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", port)));
    }

    private static String notify(String name) {
        return "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1990\r\nLocation: 127.0.0.1\r\nNT: urn:bambulab-com:device:3dprinter:1\r\n"
                + "NTS: ssdp:alive\r\nUSN: " + SERIAL + "\r\nDevModel.bambu.com: C12\r\nDevName.bambu.com: " + name
                + "\r\n\r\n";
    }
}
