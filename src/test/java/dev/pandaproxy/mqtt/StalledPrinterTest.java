package dev.pandaproxy.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.PandaProxy;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.PingResp;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.SubAck;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.sim.SimulatedPrinter;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.testing.Fixtures;
import dev.pandaproxy.testing.MqttClients;
import dev.pandaproxy.tls.CertificateAuthority;
import dev.pandaproxy.tls.SubjectNames;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A printer that logs the proxy in and then stops reading must not stall the proxy's clients. */
class StalledPrinterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aClientKeepsBeingServedWhileThePrinterDoesNotReadItsCommands() throws Exception {
        SSLContext printerTls = CertificateAuthority.generate("stalled printer CA")
                .issue(Fixtures.SERIAL, SubjectNames.forServer(Fixtures.SERIAL, "127.0.0.1", List.of()))
                .serverContext();
        CountDownLatch testOver = new CountDownLatch(1);
        try (SimulatedPrinter unused = Fixtures.printer(dir.resolve("printer"));
                Listener stalled = Listener.start(
                        new Listener.Spec("stalled", "test", "127.0.0.1", 0, 8, () -> {}),
                        () -> TlsPolicy.newServerSocket(printerTls, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                        socket -> {
                            SSLSocket tls = (SSLSocket) socket;
                            MqttPacketReader reader = new MqttPacketReader(tls.getInputStream(), 1 << 20);
                            OutputStream out = tls.getOutputStream();
                            reader.read();
                            out.write(MqttCodec.encode(new ConnAck(false, ConnAck.ACCEPTED)));
                            Subscribe subscribe = (Subscribe) reader.read();
                            out.write(MqttCodec.encode(new SubAck(subscribe.packetId(), List.of(0))));
                            out.flush();
                            // from here on the printer reads nothing
                            try {
                                testOver.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        })) {
            Map<String, String> settings = Fixtures.settings(unused, dir.resolve("proxy"));
            settings.put("proxy.services", "mqtt");
            settings.put("printer.ports.mqtt", String.valueOf(stalled.port()));
            settings.put("printer.trust", "insecure");
            // long enough that the proxy does not cut the stalled printer off during the test
            settings.put("mqtt.keep-alive", "300s");
            try (PandaProxy proxy = Fixtures.proxy(settings);
                    MqttClients.Raw client = new MqttClients.Raw(
                            Fixtures.trustingProxy(dir.resolve("proxy")),
                            proxy.mqtt().orElseThrow().port())) {
                await().atMost(WAIT)
                        .until(() -> proxy.mqtt()
                                        .orElseThrow()
                                        .status()
                                        .upstream()
                                        .orElseThrow()
                                        .state()
                                == UpstreamState.CONNECTED);
                client.send(new Connect(
                        4,
                        true,
                        60,
                        "slicer",
                        Optional.empty(),
                        Optional.of("bblp"),
                        Optional.of(Fixtures.CODE.getBytes())));
                assertThat(client.read()).isEqualTo(new ConnAck(false, ConnAck.ACCEPTED));
                // far more than the socket buffers between the proxy and the printer hold
                byte[] command = new byte[900_000];
                CountDownLatch sent = new CountDownLatch(1);
                Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 40; i++) {
                            client.send(
                                    new Publish(false, 0, false, "device/" + Fixtures.SERIAL + "/request", 0, command));
                        }
                        client.send(new PingReq());
                        sent.countDown();
                    } catch (IOException e) {
                        // the assertion below reports it
                    }
                });
                assertThat(sent.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as("the proxy kept reading the client")
                        .isTrue();
                assertThat(client.read()).isEqualTo(new PingResp());
            } finally {
                testOver.countDown();
            }
        }
    }
}
