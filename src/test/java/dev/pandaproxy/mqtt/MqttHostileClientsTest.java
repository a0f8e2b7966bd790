package dev.pandaproxy.mqtt;

import static dev.pandaproxy.testing.MqttClients.QOS0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.PingResp;
import dev.pandaproxy.mqtt.MqttPacket.Will;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.LogCapture;
import dev.pandaproxy.testing.MqttClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an MQTT client may not do before and after logging in, over real TLS. */
class MqttHostileClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static SimulatedPrinter printer;
    private static PandaProxy proxy;

    @BeforeAll
    static void start() {
        printer = Fixtures.printer(dir.resolve("printer"));
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("proxy.services", "mqtt");
        settings.put("mqtt.users.0.name", "dashboard");
        settings.put("mqtt.users.0.password", "look-only");
        settings.put("mqtt.users.0.role", "read-only");
        proxy = Fixtures.proxy(settings);
    }

    @AfterAll
    static void stop() {
        proxy.close();
        printer.close();
    }

    @Test
    void aConnectOverTheLimitBeforeLoginIsRefusedUnread() throws Exception {
        try (LogCapture logs = LogCapture.start();
                MqttClients.Raw client = raw()) {
            // the printer's clients send a few hundred bytes; this one carries 20 KiB, over the 16 KiB default
            client.send(new Connect(
                    4, true, 60, "big", Optional.empty(), Optional.of("bblp"), Optional.of(new byte[20 * 1024])));
            assertThatThrownBy(client::read).as("closed without an answer").isInstanceOf(IOException.class);
            await().atMost(WAIT)
                    .until(() -> logs.lines().stream()
                            .anyMatch(line ->
                                    line.contains("refused before CONNECT") && line.contains("mqtt.max-connect-size")));
        }
    }

    @Test
    void aReadOnlyUsersWillIsNotDeliveredToOthers() throws Exception {
        Mqtt3BlockingClient watcher = MqttClients.connect(
                proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), "watcher", "bblp", Fixtures.CODE);
        Mqtt3BlockingClient.Mqtt3Publishes wills = MqttClients.subscribe(watcher, "clients/#", QOS0);
        vanishWithWill("dashboard", "look-only", "clients/dashboard-gone");
        vanishWithWill("bblp", Fixtures.CODE, "clients/bblp-gone");
        // one fan-out delivers in order: had the first will gone out, it would arrive first
        assertThat(MqttClients.next(wills, WAIT).orElseThrow().getTopic().toString())
                .isEqualTo("clients/bblp-gone");
        watcher.disconnect();
    }

    @Test
    void aReadOnlyUserCannotTakeOverAnotherUsersClientIdButMayReconnectItsOwn() throws Exception {
        try (MqttClients.Raw slicer = login("bblp", Fixtures.CODE, "slicer")) {
            assertThat(slicer.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
            try (MqttClients.Raw intruder = login("dashboard", "look-only", "slicer")) {
                assertThat(intruder.read()).isEqualTo(new ConnAck(false, ConnAck.IDENTIFIER_REJECTED));
            }
            slicer.send(new PingReq());
            assertThat(slicer.read()).as("the slicer is still connected").isInstanceOf(PingResp.class);
        }
        try (MqttClients.Raw first = login("dashboard", "look-only", "dash");
                MqttClients.Raw second = login("dashboard", "look-only", "dash")) {
            assertThat(first.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
            assertThat(second.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
            assertThatThrownBy(first::read).as("taken over").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aUserNameCannotForgeALogLine() throws Exception {
        String forged = "evil\nmqtt: 10.0.0.1:1 connected as admin";
        try (LogCapture logs = LogCapture.start();
                MqttClients.Raw client = login(forged, "wrong", "forger")) {
            assertThat(client.read()).isEqualTo(new ConnAck(false, ConnAck.NOT_AUTHORIZED));
            await().atMost(WAIT)
                    .until(() -> logs.lines().stream()
                            .anyMatch(line -> line.contains("user evil\\nmqtt: 10.0.0.1:1 connected as admin")));
            assertThat(logs.lines()).noneMatch(line -> line.contains("evil\n"));
        }
    }

    private void vanishWithWill(String user, String password, String topic) throws IOException {
        MqttClients.Raw client = raw();
        client.send(new Connect(
                4,
                true,
                60,
                "will-" + user,
                Optional.of(new Will(topic, "bye".getBytes(), 0, false)),
                Optional.of(user),
                Optional.of(password.getBytes(StandardCharsets.UTF_8))));
        assertThat(client.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
        client.close(); // no DISCONNECT: the will applies
    }

    private MqttClients.Raw login(String user, String password, String clientId) throws IOException {
        MqttClients.Raw client = raw();
        client.send(new Connect(
                4,
                true,
                60,
                clientId,
                Optional.empty(),
                Optional.of(user),
                Optional.of(password.getBytes(StandardCharsets.UTF_8))));
        return client;
    }

    private MqttClients.Raw raw() throws IOException {
        SSLContext tls = Fixtures.trustingProxy(dir.resolve("proxy"));
        return new MqttClients.Raw(tls, proxy.mqtt().orElseThrow().port());
    }
}
