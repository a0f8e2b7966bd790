package dev.pandaproxy.discovery;

import static dev.pandaproxy.testing.MqttClients.QOS0;
import static dev.pandaproxy.testing.MqttClients.QOS1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.FtpClients;
import dev.pandaproxy.testing.JsonTrees;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.tls.PrinterTrust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a slicer does with the proxy, end to end: hear the announcement, shake hands, talk MQTT with the
 * proxy CA, upload over FTPS to the address the reports give, start the print.
 */
class SlicerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The proxy on another loopback address than the printer, so "the proxy's address" is distinguishable. */
    private static final String PROXY_ADDRESS = "127.0.0.2";

    @TempDir
    Path dir;

    @Test
    void aSlicerDiscoversShakesHandsUploadsAndStartsAPrintThroughTheProxy() throws Exception {
        try (DatagramSocket slicer = slicerSocket();
                Setup setup = new Setup(slicer.getLocalPort())) {
            SsdpMessage announcement = receive(
                    slicer, m -> m.header("NTS").filter("ssdp:alive"::equals).isPresent());
            assertThat(announcement.header("USN")).contains(Fixtures.SERIAL);
            String location = announcement.header("Location").orElseThrow();
            assertThat(location).isEqualTo(PROXY_ADDRESS);

            JsonNode login = detect(
                    setup.trust(), location, setup.proxy.detect().orElseThrow().tlsPort());
            assertThat(login.path("id").asText()).isEqualTo(Fixtures.SERIAL);

            Mqtt3BlockingClient mqtt = MqttClients.connect(
                    location,
                    setup.proxy.mqtt().orElseThrow().port(),
                    dir.resolve("proxy"),
                    "bambu-studio",
                    "bblp",
                    Fixtures.CODE);
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(mqtt, report(), QOS0);
            mqtt.publishWith()
                    .topic(request())
                    .qos(QOS1)
                    .payload("{\"pushing\":{\"sequence_id\":\"1\",\"command\":\"pushall\"}}".getBytes())
                    .send();
            JsonNode full =
                    awaitReport(reports, json -> json.at("/print/net/info/0/ip").isNumber());
            String uploadTo = ipv4(full.at("/print/net/info/0/ip").asLong());
            assertThat(uploadTo).as("the reports send uploads to the proxy").isEqualTo(PROXY_ADDRESS);

            byte[] model = new byte[500_000];
            new Random(3).nextBytes(model);
            FTPSClient ftp = FtpClients.commonsNet(
                    uploadTo, setup.proxy.ftp().orElseThrow().port(), dir.resolve("proxy/ca.pem"), Fixtures.CODE);
            assertThat(ftp.changeWorkingDirectory("/cache")).isTrue();
            assertThat(ftp.storeFile("benchy.gcode.3mf", new ByteArrayInputStream(model)))
                    .isTrue();
            ftp.disconnect();
            assertThat(Files.readAllBytes(setup.printer.ftp().root().resolve("cache/benchy.gcode.3mf")))
                    .isEqualTo(model);

            byte[] print =
                    ("{\"print\":{\"sequence_id\":\"2\",\"command\":\"project_file\",\"param\":\"Metadata/plate_1.gcode\","
                                    + "\"url\":\"ftp:///cache/benchy.gcode.3mf\",\"file\":\"benchy.gcode.3mf\",\"md5\":\"\",\"subtask_name\":\"benchy\","
                                    + "\"use_ams\":true,\"ams_mapping\":[0]}}")
                            .getBytes(StandardCharsets.UTF_8);
            mqtt.publishWith().topic(request()).qos(QOS1).payload(print).send();
            await().atMost(WAIT)
                    .until(() -> setup.printer.mqtt().requests().stream().anyMatch(r -> Arrays.equals(r, print)));
            assertThat(awaitReport(
                            reports,
                            json -> "RUNNING"
                                    .equals(json.at("/print/gcode_state").asText())))
                    .isNotNull();
            mqtt.disconnect();
        }
    }

    @Test
    void theAnnouncementCarriesThePrintersIdentityMSearchIsAnsweredAndShutdownSaysGoodbye() throws Exception {
        try (DatagramSocket slicer = slicerSocket()) {
            Setup setup = new Setup(slicer.getLocalPort());
            try (setup) {
                SsdpMessage alive = receive(
                        slicer,
                        m -> m.header("NTS").filter("ssdp:alive"::equals).isPresent());
                assertThat(alive.header("DevModel.bambu.com")).contains("C11");
                assertThat(alive.header("DevName.bambu.com")).contains("Garage P1P (proxy)");
                assertThat(alive.header("DevVersion.bambu.com")).contains("01.06.00.00");
                assertThat(alive.header("DevBind.bambu.com")).contains("free");
                assertThat(alive.header("DevConnect.bambu.com")).contains("lan");
                for (String header : new String[] {
                    "Host",
                    "Server",
                    "NT",
                    "USN",
                    "Cache-Control",
                    "DevSignal.bambu.com",
                    "Devseclink.bambu.com",
                    "DevInf.bambu.com",
                    "DevCap.bambu.com"
                }) {
                    assertThat(alive.header(header)).as(header).isPresent();
                }

                byte[] search =
                        ("M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1990\r\nMan: \"ssdp:discover\"\r\nMX: 1\r\nST: "
                                        + SsdpMessage.PRINTER_TYPE + "\r\n\r\n")
                                .getBytes();
                slicer.send(new DatagramPacket(
                        search,
                        search.length,
                        new InetSocketAddress(
                                "127.0.0.1",
                                setup.proxy.discovery().orElseThrow().port())));
                SsdpMessage answer = receive(slicer, m -> m.startLine().equals(SsdpMessage.RESPONSE));
                assertThat(answer.header("ST")).contains(SsdpMessage.PRINTER_TYPE);
                assertThat(answer.header("Location")).contains(PROXY_ADDRESS);
            }
            SsdpMessage bye = receive(
                    slicer, m -> m.header("NTS").filter("ssdp:byebye"::equals).isPresent());
            assertThat(bye.header("USN")).contains(Fixtures.SERIAL);
        }
    }

    @Test
    void detectAnswersOnBothPortsAndCutsOffWhatIsNotADetectRequest() throws Exception {
        try (DatagramSocket slicer = slicerSocket();
                Setup setup = new Setup(slicer.getLocalPort())) {
            receive(slicer, m -> true); // the proxy knows the printer once it was heard
            DetectService detect = setup.proxy.detect().orElseThrow();
            try (Socket plain = new Socket(PROXY_ADDRESS, detect.plainPort())) {
                plain.getOutputStream()
                        .write(DetectCodec.encode("{\"login\":{\"command\":\"detect\",\"sequence_id\":7}}".getBytes()));
                JsonNode login = JsonTrees.object(DetectCodec.read(plain.getInputStream(), 4096))
                        .orElseThrow()
                        .path("login");
                assertThat(login.path("sequence_id").asInt()).isEqualTo(7);
                assertThat(login.path("model").asText()).isEqualTo("C11");
            }
            assertThat(detect(setup.trust(), PROXY_ADDRESS, detect.tlsPort())
                            .path("name")
                            .asText())
                    .isEqualTo("Garage P1P (proxy)");
            for (byte[] garbage : new byte[][] {
                "GET / HTTP/1.1\r\n\r\n".getBytes(), {(byte) 0xA5, (byte) 0xA5, (byte) 0xFF, (byte) 0xFF}
            }) {
                try (Socket bad = new Socket(PROXY_ADDRESS, detect.plainPort())) {
                    bad.setSoTimeout((int) WAIT.toMillis());
                    bad.getOutputStream().write(garbage);
                    assertThat(bad.getInputStream().read()).isEqualTo(-1);
                }
            }
            try (Socket slow = new Socket(PROXY_ADDRESS, detect.plainPort())) {
                slow.setSoTimeout((int) WAIT.toMillis());
                slow.getOutputStream().write(0xA5); // and then nothing
                assertThat(readOrReset(slow)).as("a slow sender is cut off").isTrue();
            }
            assertThat(setup.proxy.status().services().stream()
                            .filter(s -> s.service().equals("detect"))
                            .findFirst()
                            .orElseThrow()
                            .counters())
                    .containsEntry("relayed_messages", 2L);
        }
    }

    @Test
    void theExtraSlicerPortsAreRelayedAsTheyAre() throws Exception {
        // stand-ins for the printer's extra ports on 127.0.0.1; the proxy listens on the same ports on 127.0.0.2
        // (not 2024-2026 themselves: the test machine may use them)
        List<Integer> ports = List.of(42_024, 42_025, 42_026);
        List<ServerSocket> printerPorts = new ArrayList<>();
        for (int port : ports) {
            ServerSocket echo = new ServerSocket(port, 4, InetAddress.getByName("127.0.0.1"));
            printerPorts.add(echo);
            Thread.ofVirtual().start(() -> {
                try (Socket client = echo.accept()) {
                    client.getOutputStream().write(("port " + port + ": ").getBytes());
                    client.getInputStream().transferTo(client.getOutputStream());
                } catch (IOException ignored) {
                    // test over
                }
            });
        }
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("proxy.bind", PROXY_ADDRESS);
            settings.put("slicer.extra-ports", "true");
            settings.put("slicer.extra-port-range", "42024-42026");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                for (int port : ports) {
                    try (Socket slicer = new Socket(PROXY_ADDRESS, port)) {
                        slicer.setSoTimeout((int) WAIT.toMillis());
                        slicer.getOutputStream().write("hello".getBytes());
                        slicer.shutdownOutput();
                        assertThat(new String(slicer.getInputStream().readAllBytes()))
                                .isEqualTo("port " + port + ": hello");
                    }
                }
            }
        } finally {
            for (ServerSocket echo : printerPorts) {
                echo.close();
            }
        }
    }

    /** A simulated P1P announcing itself to the proxy, and the proxy on 127.0.0.2 with the slicer features on. */
    private final class Setup implements AutoCloseable {
        final SimulatedPrinter printer;
        final PandaProxy proxy;

        Setup(int slicerPort) throws IOException {
            int discoveryPort;
            try (DatagramSocket free = new DatagramSocket(0)) {
                discoveryPort = free.getLocalPort();
            }
            printer = SimulatedPrinter.start(new SimulatorConfig(
                    "127.0.0.1",
                    Fixtures.SERIAL,
                    Secret.of(Fixtures.CODE),
                    new ServicePorts(0, 0, 0, 0),
                    dir.resolve("printer"),
                    new SimulatorConfig.Camera(5, 0, 64, 36),
                    new SimulatorConfig.Slicer(
                            "C11",
                            "Garage P1P",
                            "01.06.00.00",
                            Optional.of(new InetSocketAddress("127.0.0.1", discoveryPort)),
                            Duration.ofMillis(200),
                            0,
                            0)));
            Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
            settings.put("proxy.bind", PROXY_ADDRESS);
            settings.put("proxy.advertise-address", PROXY_ADDRESS);
            settings.put("proxy.services", "mqtt,ftp");
            settings.put("proxy.ports.discovery", String.valueOf(discoveryPort));
            settings.put("proxy.ports.detect", "0");
            settings.put("proxy.ports.detect-tls", "0");
            settings.put("slicer.discovery", "true");
            settings.put(
                    "slicer.interfaces",
                    NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress())
                            .getName());
            settings.put("slicer.announce-port", String.valueOf(slicerPort));
            settings.put("slicer.announce-interval", "300ms");
            proxy = Fixtures.proxy(settings);
        }

        /** TLS like a slicer's: the proxy CA (imported into printer.cer), CN = serial. */
        SSLContext trust() throws IOException {
            return PrinterTrust.create(
                            TrustMode.CA,
                            Optional.of(dir.resolve("proxy/ca.pem")),
                            dir.resolve("pins"),
                            Fixtures.SERIAL)
                    .clientContext();
        }

        @Override
        public void close() {
            proxy.close();
            printer.close();
        }
    }

    private static DatagramSocket slicerSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static SsdpMessage receive(DatagramSocket socket, Predicate<SsdpMessage> wanted) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            SsdpMessage message = SsdpMessage.parse(packet.getData(), packet.getLength());
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no such datagram within " + WAIT);
    }

    /** The detect exchange on the TLS port with the only suite some slicers offer. */
    private static JsonNode detect(SSLContext tls, String host, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_256_GCM_SHA384"});
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream()
                    .write(DetectCodec.encode(
                            "{\"login\":{\"command\":\"detect\",\"sequence_id\":\"20000\"}}".getBytes()));
            return JsonTrees.object(DetectCodec.read(socket.getInputStream(), 4096))
                    .orElseThrow()
                    .path("login");
        }
    }

    private static JsonNode awaitReport(Mqtt3BlockingClient.Mqtt3Publishes reports, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Mqtt3Publish> publish = MqttClients.next(reports, Duration.ofNanos(deadline - System.nanoTime()));
            Optional<? extends JsonNode> json = publish.flatMap(p -> JsonTrees.object(p.getPayloadAsBytes()));
            if (json.isPresent() && wanted.test(json.get())) {
                return json.get();
            }
        }
        throw new AssertionError("no such report within " + WAIT);
    }

    private static boolean readOrReset(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String ipv4(long littleEndian) {
        return (littleEndian & 0xFF) + "." + (littleEndian >> 8 & 0xFF) + "." + (littleEndian >> 16 & 0xFF) + "."
                + (littleEndian >> 24 & 0xFF);
    }

    private static String report() {
        return "device/" + Fixtures.SERIAL + "/report";
    }

    private static String request() {
        return "device/" + Fixtures.SERIAL + "/request";
    }
}
