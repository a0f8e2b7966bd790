package dev.pandaproxy.mqtt;

import static dev.pandaproxy.testing.MqttClients.QOS0;
import static dev.pandaproxy.testing.MqttClients.QOS1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.MosquittoBroker;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.Pem;
import dev.pandaproxy.tls.SubjectNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real peers: a mosquitto broker (TLS 1.2, a password file, its own CA) stands in for the printer, and
 * mosquitto's command-line clients talk to the proxy.
 */
class MosquittoTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REPORT = "device/" + Fixtures.SERIAL + "/report";
    private static final String REQUEST = "device/" + Fixtures.SERIAL + "/request";

    @TempDir
    Path dir;

    private MosquittoBroker printer;
    private int printerPort;
    private Path printerCa;

    @BeforeEach
    void startMosquittoAsThePrinter() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("printer CA");
        printerCa = Files.writeString(dir.resolve("printer-ca.pem"), Pem.encode(List.of(ca.certificate())));
        printer = MosquittoBroker.start(
                dir,
                "printer",
                ca.issue(Fixtures.SERIAL, SubjectNames.forServer(Fixtures.SERIAL, "127.0.0.1", List.of())),
                Fixtures.CODE,
                "");
        printerPort = printer.port();
    }

    @AfterEach
    void stopMosquitto() throws Exception {
        if (printer != null) { // null where mosquitto is missing and the test was skipped
            printer.close();
        }
    }

    @Test
    void theProxyRelaysBetweenARealBrokerAndRealClients() throws Exception {
        Path sub = RealPeers.require("mosquitto_sub");
        Path pub = RealPeers.require("mosquitto_pub");
        Map<String, String> settings = new HashMap<>();
        settings.put("printer.host", "127.0.0.1");
        settings.put("printer.serial", Fixtures.SERIAL);
        settings.put("printer.access-code", Fixtures.CODE);
        settings.put("printer.ports.mqtt", String.valueOf(printerPort));
        settings.put("printer.trust", "ca");
        settings.put("printer.ca-file", printerCa.toString());
        settings.put("proxy.bind", "127.0.0.1");
        settings.put("proxy.services", "mqtt");
        settings.put("proxy.state-dir", dir.resolve("proxy").toString());
        settings.put("proxy.ports.mqtt", "0");
        settings.put("proxy.ports.http", "0");
        // the "printer" side: a plain client of the real broker
        Mqtt3BlockingClient printerSide = Mqtt3Client.builder()
                .identifier("printer-side")
                .serverHost("127.0.0.1")
                .serverPort(printerPort)
                .sslConfig()
                .trustManagerFactory(MqttClients.trust(printerCa))
                .applySslConfig()
                .buildBlocking();
        printerSide
                .connectWith()
                .simpleAuth()
                .username("bblp")
                .password(Fixtures.CODE.getBytes())
                .applySimpleAuth()
                .send();
        Mqtt3BlockingClient.Mqtt3Publishes requestsAtPrinter = MqttClients.subscribe(printerSide, REQUEST, QOS1);
        try (PandaProxy proxy = Fixtures.proxy(settings)) {
            await().atMost(WAIT)
                    .until(() -> proxy.mqtt()
                                    .orElseThrow()
                                    .status()
                                    .upstream()
                                    .orElseThrow()
                                    .state()
                            == UpstreamState.CONNECTED);
            int port = proxy.mqtt().orElseThrow().port();
            Path proxyCa = dir.resolve("proxy/ca.pem");

            // the proxy asked the real broker for a full report after connecting
            assertThat(MqttClients.next(requestsAtPrinter, WAIT).orElseThrow().getPayloadAsBytes())
                    .asString()
                    .contains("\"pushall\"");

            // mosquitto_sub through the proxy, verifying the proxy's certificate against its CA
            Process subscriber = new ProcessBuilder(
                            sub.toString(),
                            "-h",
                            "127.0.0.1",
                            "-p",
                            String.valueOf(port),
                            "--cafile",
                            proxyCa.toString(),
                            "-u",
                            "bblp",
                            "-P",
                            Fixtures.CODE,
                            "-t",
                            REPORT,
                            "-C",
                            "1",
                            "-W",
                            "30")
                    .redirectErrorStream(true)
                    .start();
            await().atMost(WAIT).until(() -> proxy.mqtt().orElseThrow().status().clients() == 1);
            byte[] report = "{\"print\":{\"command\":\"push_status\",\"nozzle_temper\":215}}".getBytes();
            await().atMost(WAIT).until(() -> {
                printerSide
                        .publishWith()
                        .topic(REPORT)
                        .qos(QOS0)
                        .payload(report)
                        .send();
                return subscriber.waitFor(200, TimeUnit.MILLISECONDS);
            });
            String received = new String(subscriber.getInputStream().readAllBytes()).strip();
            assertThat(subscriber.exitValue()).as(received).isZero();
            assertThat(received).isEqualTo(new String(report));

            // mosquitto_pub through the proxy: the command reaches the real broker byte for byte
            String command =
                    "{\"print\": {\"sequence_id\": \"3\", \"command\": \"gcode_line\", \"param\": \"G28 \\n\"}}";
            Programs.run(List.of(
                    pub.toString(),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    String.valueOf(port),
                    "--cafile",
                    proxyCa.toString(),
                    "-u",
                    "bblp",
                    "-P",
                    Fixtures.CODE,
                    "-t",
                    REQUEST,
                    "-q",
                    "1",
                    "-m",
                    command));
            Mqtt3Publish atPrinter;
            do {
                atPrinter = MqttClients.next(requestsAtPrinter, WAIT).orElseThrow();
            } while (new String(atPrinter.getPayloadAsBytes()).contains("get_version"));
            assertThat(new String(atPrinter.getPayloadAsBytes())).isEqualTo(command);
            printerSide.disconnect();
        }
    }
}
