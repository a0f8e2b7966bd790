package dev.pandaproxy.mqtt;

import static dev.pandaproxy.testing.MqttClients.QOS0;
import static dev.pandaproxy.testing.MqttClients.QOS1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.config.Secret;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.PubAck;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.sim.SimulatorConfig;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.JsonTrees;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.testing.Programs;
import dev.pandaproxy.testing.RealPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT proxy end to end: simulated printer ← proxy ← HiveMQ's client library and raw clients. */
class MqttProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String REPORT = "device/" + Fixtures.SERIAL + "/report";
    private static final String REQUEST = "device/" + Fixtures.SERIAL + "/request";

    @TempDir
    Path dir;

    @Test
    void fiftyClientsReceiveEveryReportInOrder() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            List<Mqtt3BlockingClient> clients = new ArrayList<>();
            List<Mqtt3BlockingClient.Mqtt3Publishes> streams = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Mqtt3BlockingClient client = client(proxy, "client-" + i);
                clients.add(client);
                streams.add(MqttClients.subscribe(client, REPORT, i % 2 == 0 ? QOS0 : QOS1));
            }
            printer.mqtt().silent(true); // only the test's reports from now on
            for (int n = 0; n < 20; n++) {
                printer.mqtt()
                        .publishReport(("{\"print\":{\"command\":\"push_status\",\"test_seq\":" + n + "}}").getBytes());
            }
            for (Mqtt3BlockingClient.Mqtt3Publishes stream : streams) {
                List<Integer> seen = new ArrayList<>();
                while (seen.size() < 20) {
                    Mqtt3Publish publish = MqttClients.next(stream, WAIT)
                            .orElseThrow(() -> new AssertionError("missing reports: " + seen));
                    JsonNode json =
                            JsonTrees.object(publish.getPayloadAsBytes()).orElseThrow();
                    if (json.at("/print/test_seq").isInt()) {
                        seen.add(json.at("/print/test_seq").asInt());
                    }
                }
                assertThat(seen).containsExactly(IntStream.range(0, 20).boxed().toArray(Integer[]::new));
            }
            assertThat(printer.mqtt().activeSessions())
                    .as("the printer sees one session")
                    .isEqualTo(1);
            assertThat(mqtt(proxy).clients()).isEqualTo(50);
            clients.forEach(Mqtt3BlockingClient::disconnect);
        }
    }

    @Test
    void clientsReceiveOnlyWhatTheirFiltersMatch() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            Mqtt3BlockingClient.Mqtt3Publishes wildcard =
                    MqttClients.subscribe(client(proxy, "wildcard"), "device/+/report", QOS0);
            Mqtt3BlockingClient.Mqtt3Publishes elsewhere =
                    MqttClients.subscribe(client(proxy, "elsewhere"), "other/#", QOS0);
            Mqtt3BlockingClient.Mqtt3Publishes requests =
                    MqttClients.subscribe(client(proxy, "requests"), "device/+/request", QOS0);
            assertThat(MqttClients.next(wildcard, WAIT)).isPresent();
            assertThat(MqttClients.next(elsewhere, Duration.ofMillis(1500))).isEmpty();
            assertThat(MqttClients.next(requests, Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void requestsReachThePrinterByteForByteAndQos1IsAcknowledged() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            Mqtt3BlockingClient client = client(proxy, "slicer");
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(client, REPORT, QOS0);
            // odd spacing and key order, as a signed command would have: it must arrive unchanged
            byte[] command =
                    "{ \"print\" :{\"sequence_id\":\"77\",  \"command\":\"pause\", \"param\":\"\"}}".getBytes();
            client.publishWith().topic(REQUEST).qos(QOS1).payload(command).send(); // returns after PUBACK
            await().atMost(WAIT)
                    .until(() -> printer.mqtt().requests().stream().anyMatch(r -> Arrays.equals(r, command)));
            assertThat(awaitReport(
                            reports,
                            json -> "PAUSE".equals(json.at("/print/gcode_state").asText())))
                    .isPresent();
        }
    }

    @Test
    void pushallIsAnsweredFromTheStateWithoutAskingThePrinter() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            await().atMost(WAIT).until(() -> printer.mqtt().pushalls() == 1);
            Mqtt3BlockingClient client = client(proxy, "ha");
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(client, REPORT, QOS0);
            for (int i = 0; i < 5; i++) {
                String sequence = "900" + i;
                client.publishWith()
                        .topic(REQUEST)
                        .qos(QOS1)
                        .payload(("{\"pushing\":{\"sequence_id\":\"" + sequence + "\",\"command\":\"pushall\"}}")
                                .getBytes())
                        .send();
                Optional<JsonNode> full = awaitReport(
                        reports,
                        json -> sequence.equals(json.at("/print/sequence_id").asText()));
                assertThat(full).hasValueSatisfying(json -> {
                    assertThat(json.at("/print/ams/ams/0/tray/3/tray_type").asText())
                            .isEqualTo("TPU");
                    assertThat(json.at("/print/nozzle_temper").isNumber()).isTrue();
                });
            }
            assertThat(printer.mqtt().pushalls())
                    .as("pushalls the printer received")
                    .isEqualTo(1);
            assertThat(proxy.mqtt().orElseThrow().upstreamPushalls()).isEqualTo(1);
        }
    }

    @Test
    void aPushallOrGetVersionFromOneConnectionIsAnsweredToEveryReportSubscriber() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            await().atMost(WAIT).until(() -> printer.mqtt().pushalls() == 1);
            // a dashboard that only listens, a script that only asks (as the printer has it: the reply is on the report
            // topic)
            Mqtt3BlockingClient.Mqtt3Publishes dashboard =
                    MqttClients.subscribe(client(proxy, "dashboard"), REPORT, QOS0);
            Mqtt3BlockingClient.Mqtt3Publishes other =
                    MqttClients.subscribe(client(proxy, "other"), "device/+/report", QOS1);
            Mqtt3BlockingClient script = client(proxy, "script");
            script.publishWith()
                    .topic(REQUEST)
                    .qos(QOS1)
                    .payload("{\"pushing\":{\"sequence_id\":\"abc\",\"command\":\"pushall\"}}".getBytes())
                    .send();
            for (Mqtt3BlockingClient.Mqtt3Publishes listener : List.of(dashboard, other)) {
                Optional<JsonNode> full = awaitReport(
                        listener,
                        json -> "abc".equals(json.at("/print/sequence_id").asText()));
                assertThat(full).hasValueSatisfying(json -> {
                    assertThat(json.at("/print/msg").asInt(-1)).isZero();
                    assertThat(json.at("/print/command").asText()).isEqualTo("push_status");
                    assertThat(json.at("/print/ams/ams/0/tray/3/tray_type").asText())
                            .isEqualTo("TPU");
                });
            }
            script.publishWith()
                    .topic(REQUEST)
                    .qos(QOS1)
                    .payload("{\"info\":{\"sequence_id\":\"v1\",\"command\":\"get_version\"}}".getBytes())
                    .send();
            for (Mqtt3BlockingClient.Mqtt3Publishes listener : List.of(dashboard, other)) {
                Optional<JsonNode> version = awaitReport(
                        listener,
                        json -> "v1".equals(json.at("/info/sequence_id").asText()));
                assertThat(version.orElseThrow().at("/info/module/0/name").asText())
                        .isEqualTo("ota");
            }
            assertThat(printer.mqtt().pushalls())
                    .as("pushalls the printer received")
                    .isEqualTo(1);
        }
    }

    @Test
    void mosquittoSubSeesThePushallAnswerThatMosquittoPubAskedFor() throws Exception {
        Path sub = RealPeers.require("mosquitto_sub");
        Path pub = RealPeers.require("mosquitto_pub");
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            await().atMost(WAIT).until(() -> printer.mqtt().pushalls() == 1);
            String port = String.valueOf(proxy.mqtt().orElseThrow().port());
            String ca = dir.resolve("proxy/ca.pem").toString();
            // where and as whom both programs connect
            List<String> broker =
                    List.of("-h", "127.0.0.1", "-p", port, "--cafile", ca, "-u", "bblp", "-P", Fixtures.CODE);
            List<String> subscribe = new ArrayList<>(List.of(sub.toString()));
            subscribe.addAll(broker);
            subscribe.addAll(List.of("-t", REPORT, "-W", "60"));
            Process subscriber =
                    new ProcessBuilder(subscribe).redirectErrorStream(true).start();
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread.ofVirtual()
                        .start(() -> new BufferedReader(
                                        new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8))
                                .lines()
                                .forEach(lines::add));
                // subscribed once the first report (the state a new subscriber gets) arrived
                assertThat(lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("a first report")
                        .isNotNull();
                List<String> publish = new ArrayList<>(List.of(pub.toString()));
                publish.addAll(broker);
                publish.addAll(List.of(
                        "-t", REQUEST, "-m", "{\"pushing\":{\"sequence_id\":\"abc\",\"command\":\"pushall\"}}"));
                Programs.run(publish);
                long deadline = System.nanoTime() + WAIT.toNanos();
                Optional<JsonNode> answer = Optional.empty();
                while (answer.isEmpty() && System.nanoTime() < deadline) {
                    String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    answer = Optional.ofNullable(line)
                            .flatMap(l -> JsonTrees.object(l.getBytes(StandardCharsets.UTF_8)))
                            .filter(json ->
                                    "abc".equals(json.at("/print/sequence_id").asText()))
                            .map(JsonNode.class::cast);
                }
                assertThat(answer)
                        .as("mosquitto_sub received the answer to mosquitto_pub's pushall")
                        .hasValueSatisfying(json ->
                                assertThat(json.at("/print/msg").asInt(-1)).isZero());
            } finally {
                subscriber.destroy();
            }
        }
    }

    @Test
    void aNewSubscriberGetsTheFullStateAtOnce() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            await().atMost(WAIT)
                    .until(() -> mqtt(proxy).counters().get("received_messages") > 0
                            && printer.mqtt().pushalls() == 1);
            printer.mqtt().silent(true);
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(client(proxy, "late"), REPORT, QOS0);
            Mqtt3Publish first = MqttClients.next(reports, WAIT).orElseThrow();
            assertThat(JsonTrees.object(first.getPayloadAsBytes())
                            .orElseThrow()
                            .at("/print/ams/ams/0/tray")
                            .size())
                    .isEqualTo(4);
        }
    }

    @Test
    void aReadOnlyUserMaySubscribeButNotCommand() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = mqttSettings(printer);
            settings.put("mqtt.users.0.name", "dashboard");
            settings.put("mqtt.users.0.password", "look-only");
            settings.put("mqtt.users.0.role", "read-only");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                awaitPrinterSession(proxy);
                Mqtt3BlockingClient viewer = MqttClients.connect(
                        proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), "dashboard", "dashboard", "look-only");
                Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(viewer, REPORT, QOS0);
                assertThat(MqttClients.next(reports, WAIT)).isPresent();
                byte[] command = "{\"print\":{\"sequence_id\":\"1\",\"command\":\"stop\"}}".getBytes();
                viewer.publishWith().topic(REQUEST).qos(QOS1).payload(command).send();
                viewer.publishWith()
                        .topic("device/" + Fixtures.SERIAL + "/report")
                        .qos(QOS1)
                        .payload(command)
                        .send();
                await().atMost(WAIT).until(() -> mqtt(proxy).counters().get("refused_messages") == 2);
                assertThat(printer.mqtt().requests()).noneMatch(r -> Arrays.equals(r, command));

                Mqtt3BlockingClient control = client(proxy, "bblp-client");
                control.publishWith()
                        .topic("some/other/topic")
                        .qos(QOS1)
                        .payload(command)
                        .send();
                await().atMost(WAIT).until(() -> mqtt(proxy).counters().get("refused_messages") == 3);
            }
        }
    }

    @Test
    void wrongCredentialsAreRefusedWithConnAck() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            assertThatThrownBy(() -> MqttClients.connect(
                            proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), "x", "bblp", "00000000"))
                    .isInstanceOf(Mqtt3ConnAckException.class)
                    .hasMessageContaining("NOT_AUTHORIZED");
            assertThatThrownBy(() -> MqttClients.connect(
                            proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), "y", "admin", Fixtures.CODE))
                    .isInstanceOf(Mqtt3ConnAckException.class);
            assertThat(mqtt(proxy).counters()).containsEntry("auth_failures", 2L);
        }
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer));
                MqttClients.Raw first = rawClient(proxy, "same-id")) {
            Mqtt3BlockingClient second = client(proxy, "same-id");
            assertThatThrownBy(() -> {
                        while (true) {
                            first.read();
                        }
                    })
                    .isInstanceOf(IOException.class);
            assertThat(second.getState().isConnected()).isTrue();
            await().atMost(WAIT).until(() -> mqtt(proxy).clients() == 1);
        }
    }

    @Test
    void clientsStayConnectedWhileThePrinterRestartsAndReportsResume() throws Exception {
        Path printerState = dir.resolve("printer");
        SimulatedPrinter printer = Fixtures.printer(printerState);
        int port = printer.mqtt().port();
        try (PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            Mqtt3BlockingClient client = client(proxy, "patient");
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(client, REPORT, QOS0);
            assertThat(MqttClients.next(reports, WAIT)).isPresent();

            printer.close();
            await().atMost(WAIT)
                    .until(() -> mqtt(proxy).upstream().orElseThrow().state() != UpstreamState.CONNECTED);
            try (SimulatedPrinter restarted = restartedPrinter(printerState, port)) {
                awaitPrinterSession(proxy);
                // drain what came before; then a report from the restarted printer must arrive
                restarted.mqtt().silent(true);
                restarted.mqtt().publishReport("{\"print\":{\"after_restart\":true}}".getBytes());
                assertThat(awaitReport(
                                reports, json -> json.at("/print/after_restart").asBoolean()))
                        .isPresent();
                assertThat(client.getState().isConnected()).isTrue();
                assertThat(restarted.mqtt().pushalls())
                        .as("a pushall after the reconnect")
                        .isEqualTo(1);
            }
        } finally {
            printer.close();
        }
    }

    @Test
    void requestsWaitForAPrinterThatIsAwayAndAreAcknowledgedWhenItIsBack() throws Exception {
        Path printerState = dir.resolve("printer");
        SimulatedPrinter printer = Fixtures.printer(printerState);
        int port = printer.mqtt().port();
        Map<String, String> settings = mqttSettings(printer);
        settings.put("mqtt.request-ttl", "30s");
        try (PandaProxy proxy = Fixtures.proxy(settings);
                MqttClients.Raw client = rawClient(proxy, "waiting")) {
            awaitPrinterSession(proxy);
            printer.close();
            await().atMost(WAIT)
                    .until(() -> mqtt(proxy).upstream().orElseThrow().state() != UpstreamState.CONNECTED);
            byte[] command = "{\"print\":{\"sequence_id\":\"5\",\"command\":\"resume\"}}".getBytes();
            client.send(new Publish(false, 1, false, REQUEST, 42, command));
            try (SimulatedPrinter restarted = restartedPrinter(printerState, port)) {
                assertThat(client.read()).isEqualTo(new PubAck(42));
                await().atMost(WAIT)
                        .until(() -> restarted.mqtt().requests().stream().anyMatch(r -> Arrays.equals(r, command)));
            }
        } finally {
            printer.close();
        }
    }

    @Test
    void aRequestThatOutlivesItsTimeToLiveIsNeverAcknowledged() throws Exception {
        SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
        Map<String, String> settings = mqttSettings(printer);
        settings.put("mqtt.request-ttl", "300ms");
        try (PandaProxy proxy = Fixtures.proxy(settings);
                MqttClients.Raw client = rawClient(proxy, "impatient")) {
            awaitPrinterSession(proxy);
            printer.close();
            await().atMost(WAIT)
                    .until(() -> mqtt(proxy).upstream().orElseThrow().state() != UpstreamState.CONNECTED);
            client.send(new Publish(false, 0, false, REQUEST, 0, "{\"print\":{\"command\":\"a\"}}".getBytes()));
            client.send(new Publish(false, 1, false, REQUEST, 43, "{\"print\":{\"command\":\"b\"}}".getBytes()));
            // QoS 1: the connection is closed without a PUBACK, so the client knows and resends later
            assertThatThrownBy(() -> {
                        while (true) {
                            assertThat(client.read()).isNotInstanceOf(PubAck.class);
                        }
                    })
                    .isInstanceOf(IOException.class);
            assertThat(mqtt(proxy).counters()).containsEntry("expired_messages", 2L);
        } finally {
            printer.close();
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffWhileTheOthersCarryOn() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = mqttSettings(printer);
            settings.put("mqtt.client-queue", "20");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                awaitPrinterSession(proxy);
                MqttClients.Raw stalled = rawClient(proxy, "stalled");
                stalled.socket().setReceiveBufferSize(4096);
                stalled.send(new Subscribe(1, List.of(new TopicRequest(REPORT, 0))));
                Mqtt3BlockingClient.Mqtt3Publishes healthy =
                        MqttClients.subscribe(client(proxy, "healthy"), REPORT, QOS0);
                printer.mqtt().silent(true);
                byte[] big = ("{\"print\":{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}}").getBytes();
                int sent = 0;
                while (mqtt(proxy).clients() > 1 && sent < 2000) {
                    printer.mqtt().publishReport(big);
                    sent++;
                    assertThat(MqttClients.next(healthy, WAIT))
                            .as("healthy client, report %d", sent)
                            .isPresent();
                }
                assertThat(mqtt(proxy).clients())
                        .as("the stalled client was cut off")
                        .isEqualTo(1);
                stalled.close();
            }
        }
    }

    @Test
    void malformedPacketsCloseOnlyTheirConnection() throws Exception {
        List<byte[]> garbage = List.of(
                HexFormat.of().parseHex("30ffffffff01"), // remaining length of five bytes
                HexFormat.of().parseHex("3003000161"), // truncated: says 3, sends... then closes
                HexFormat.of().parseHex("c100"), // PINGREQ with reserved flags
                HexFormat.of().parseHex("300400024fff"), // topic not UTF-8
                HexFormat.of().parseHex("f000"), // reserved packet type
                HexFormat.of().parseHex("820600010001" + "2303")); // SUBSCRIBE QoS 3
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            Mqtt3BlockingClient.Mqtt3Publishes bystander =
                    MqttClients.subscribe(client(proxy, "bystander"), REPORT, QOS0);
            for (byte[] bytes : garbage) {
                try (MqttClients.Raw bad = rawClient(proxy, "bad")) {
                    bad.sendBytes(bytes);
                    if (bytes.length == 5) {
                        bad.socket().shutdownOutput();
                    }
                    assertThatThrownBy(() -> {
                                while (true) {
                                    bad.read();
                                }
                            })
                            .as(HexFormat.of().formatHex(bytes))
                            .isInstanceOf(IOException.class);
                }
                assertThat(MqttClients.next(bystander, WAIT)).isPresent();
            }
            // the first packet must be CONNECT
            try (MqttClients.Raw early =
                    new MqttClients.Raw(tls(), proxy.mqtt().orElseThrow().port())) {
                early.send(new Subscribe(1, List.of(new TopicRequest("#", 0))));
                assertThatThrownBy(early::read).isInstanceOf(IOException.class);
            }
            assertThat(mqtt(proxy).clients()).isEqualTo(1);
        }
    }

    @Test
    void aWillReachesTheOtherClientsButNeverThePrinter() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            Mqtt3BlockingClient.Mqtt3Publishes watcher =
                    MqttClients.subscribe(client(proxy, "watcher"), "clients/#", QOS0);
            byte[] toPrinter = "{\"print\":{\"command\":\"stop\"}}".getBytes();
            for (MqttPacket.Will will : List.of(
                    new MqttPacket.Will(REQUEST, toPrinter, 0, false),
                    new MqttPacket.Will("clients/gone", "bye".getBytes(), 0, false))) {
                MqttClients.Raw dying =
                        new MqttClients.Raw(tls(), proxy.mqtt().orElseThrow().port());
                dying.send(new Connect(
                        4,
                        true,
                        60,
                        "dying",
                        Optional.of(will),
                        Optional.of("bblp"),
                        Optional.of(Fixtures.CODE.getBytes())));
                assertThat(dying.read()).isInstanceOf(ConnAck.class);
                dying.close(); // no DISCONNECT: the will applies
            }
            assertThat(MqttClients.next(watcher, WAIT).orElseThrow().getPayloadAsBytes())
                    .isEqualTo("bye".getBytes());
            assertThat(printer.mqtt().requests()).noneMatch(r -> Arrays.equals(r, toPrinter));
        }
    }

    @Test
    void aPacketOverTheSizeLimitClosesTheConnection() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = mqttSettings(printer);
            settings.put("mqtt.max-packet-size", "4KiB");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    MqttClients.Raw client = rawClient(proxy, "big")) {
                client.send(new Publish(false, 0, false, REQUEST, 0, new byte[8192]));
                assertThatThrownBy(client::read).isInstanceOf(IOException.class);
                assertThat(printer.mqtt().requests()).noneMatch(r -> r.length == 8192);
            }
        }
    }

    @Test
    void getVersionIsAnsweredFromTheCache() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer))) {
            awaitPrinterSession(proxy);
            // the proxy asked for the versions itself after connecting
            await().atMost(WAIT)
                    .until(() ->
                            printer.mqtt().requests().stream().anyMatch(r -> new String(r).contains("get_version")));
            Mqtt3BlockingClient client = client(proxy, "slicer");
            Mqtt3BlockingClient.Mqtt3Publishes reports = MqttClients.subscribe(client, REPORT, QOS0);
            long asked = printer.mqtt().requests().size();
            client.publishWith()
                    .topic(REQUEST)
                    .qos(QOS1)
                    .payload("{\"info\":{\"sequence_id\":\"31\",\"command\":\"get_version\"}}".getBytes())
                    .send();
            Optional<JsonNode> version = awaitReport(
                    reports, json -> "31".equals(json.at("/info/sequence_id").asText()));
            assertThat(version.orElseThrow().at("/info/module/0/name").asText()).isEqualTo("ota");
            assertThat(printer.mqtt().requests()).hasSize((int) asked);
        }
    }

    @Test
    void aSilentClientIsDisconnectedAfterOneAndAHalfKeepAlives() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"));
                PandaProxy proxy = Fixtures.proxy(mqttSettings(printer));
                MqttClients.Raw client =
                        new MqttClients.Raw(tls(), proxy.mqtt().orElseThrow().port())) {
            client.send(new Connect(
                    4,
                    true,
                    1,
                    "sleepy",
                    Optional.empty(),
                    Optional.of("bblp"),
                    Optional.of(Fixtures.CODE.getBytes())));
            assertThat(client.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
            long start = System.nanoTime();
            assertThatThrownBy(client::read).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
    }

    @Test
    void theSilentPrinterIsNudgedThenReconnected() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = mqttSettings(printer);
            settings.put("mqtt.silence-timeout", "1500ms");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                awaitPrinterSession(proxy);
                printer.mqtt().silent(true);
                byte[] nudge =
                        "{\"pushing\":{\"sequence_id\":\"0\",\"command\":\"start\"}}".getBytes(StandardCharsets.UTF_8);
                await().atMost(WAIT)
                        .until(() -> printer.mqtt().requests().stream().anyMatch(r -> Arrays.equals(r, nudge)));
                await().atMost(WAIT).until(() -> printer.mqtt().logins() >= 2);
                assertThat(mqtt(proxy).upstream().orElseThrow().lastError())
                        .hasValueSatisfying(error -> assertThat(error).contains("mqtt.silence-timeout"));
            }
        }
    }

    @Test
    void thePrinterAddressInReportsPointsAtTheProxyWhenAsked() throws Exception {
        try (SimulatedPrinter printer = Fixtures.printer(dir.resolve("printer"))) {
            Map<String, String> settings = mqttSettings(printer);
            settings.put("mqtt.rewrite-printer-ip", "true");
            settings.put("proxy.advertise-address", "192.168.0.98");
            try (PandaProxy proxy = Fixtures.proxy(settings)) {
                awaitPrinterSession(proxy);
                Mqtt3BlockingClient.Mqtt3Publishes reports =
                        MqttClients.subscribe(client(proxy, "slicer"), REPORT, QOS0);
                Optional<JsonNode> full = awaitReport(
                        reports, json -> json.at("/print/net/info/0/ip").isNumber());
                // 192.168.0.98 is C0 A8 00 62, read as a little-endian uint32
                assertThat(full.orElseThrow().at("/print/net/info/0/ip").asLong())
                        .isEqualTo(1_644_210_368L);
            }
        }
    }

    /** The printer back on its MQTT port, with the same certificate (same state directory). */
    private static SimulatedPrinter restartedPrinter(Path printerState, int mqttPort) throws IOException {
        return SimulatedPrinter.start(new SimulatorConfig(
                "127.0.0.1",
                Fixtures.SERIAL,
                Secret.of(Fixtures.CODE),
                new ServicePorts(0, mqttPort, 0, 0),
                printerState,
                new SimulatorConfig.Camera(5, 0, 64, 36)));
    }

    private Map<String, String> mqttSettings(SimulatedPrinter printer) {
        Map<String, String> settings = Fixtures.settings(printer, dir.resolve("proxy"));
        settings.put("proxy.services", "mqtt");
        return settings;
    }

    private Mqtt3BlockingClient client(PandaProxy proxy, String clientId) {
        return MqttClients.connect(
                proxy.mqtt().orElseThrow().port(), dir.resolve("proxy"), clientId, "bblp", Fixtures.CODE);
    }

    private MqttClients.Raw rawClient(PandaProxy proxy, String clientId) throws IOException {
        MqttClients.Raw raw =
                new MqttClients.Raw(tls(), proxy.mqtt().orElseThrow().port());
        raw.send(new Connect(
                4, true, 60, clientId, Optional.empty(), Optional.of("bblp"), Optional.of(Fixtures.CODE.getBytes())));
        assertThat(raw.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
        return raw;
    }

    private SSLContext tls() {
        return Fixtures.trustingProxy(dir.resolve("proxy"));
    }

    private static void awaitPrinterSession(PandaProxy proxy) {
        await().atMost(WAIT).until(() -> mqtt(proxy).upstream().orElseThrow().state() == UpstreamState.CONNECTED);
    }

    private static Optional<JsonNode> awaitReport(
            Mqtt3BlockingClient.Mqtt3Publishes reports, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Mqtt3Publish> publish = MqttClients.next(reports, Duration.ofNanos(deadline - System.nanoTime()));
            if (publish.isEmpty()) {
                return Optional.empty();
            }
            Optional<? extends JsonNode> json = JsonTrees.object(publish.get().getPayloadAsBytes());
            if (json.isPresent() && wanted.test(json.get())) {
                return Optional.of(json.get());
            }
        }
        return Optional.empty();
    }

    private static ServiceStatus mqtt(PandaProxy proxy) {
        return proxy.status().services().stream()
                .filter(s -> s.service().equals("mqtt"))
                .findFirst()
                .orElseThrow();
    }
}
