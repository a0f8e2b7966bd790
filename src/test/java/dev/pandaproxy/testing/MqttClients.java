package dev.pandaproxy.testing;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.pandaproxy.mqtt.MqttCodec;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacketReader;
import dev.pandaproxy.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** MQTT clients for the tests: HiveMQ's client library, and a raw one for bytes no library would send. */
public final class MqttClients {
    private MqttClients() {}

    /** A connected HiveMQ client trusting the proxy CA in {@code proxyStateDir} (host name checked too). */
    public static Mqtt3BlockingClient connect(
            int port, Path proxyStateDir, String clientId, String user, String password) {
        return connect("127.0.0.1", port, proxyStateDir, clientId, user, password);
    }

    /** A connected HiveMQ client of {@code host}, trusting the proxy CA in {@code proxyStateDir}. */
    public static Mqtt3BlockingClient connect(
            String host, int port, Path proxyStateDir, String clientId, String user, String password) {
        Mqtt3BlockingClient client = Mqtt3Client.builder()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .sslConfig()
                .trustManagerFactory(trust(proxyStateDir.resolve("ca.pem")))
                .applySslConfig()
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(user)
                .password(password.getBytes())
                .applySimpleAuth()
                .send();
        return client;
    }

    /** Subscribes and returns the stream of publishes, opened before subscribing so nothing is missed. */
    public static Mqtt3BlockingClient.Mqtt3Publishes subscribe(Mqtt3BlockingClient client, String filter, MqttQos qos) {
        Mqtt3BlockingClient.Mqtt3Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL);
        client.subscribeWith().topicFilter(filter).qos(qos).send();
        return publishes;
    }

    /** The next publish within {@code timeout}, or empty. */
    public static Optional<Mqtt3Publish> next(Mqtt3BlockingClient.Mqtt3Publishes publishes, Duration timeout) {
        try {
            return publishes.receive(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public static TrustManagerFactory trust(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (var certificate : Pem.readCertificates(caFile)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A raw TLS MQTT connection speaking through our codec (or raw bytes). */
    public static final class Raw implements AutoCloseable {
        private final SSLSocket socket;
        private final MqttPacketReader reader;

        public Raw(SSLContext context, int port) throws IOException {
            socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            reader = new MqttPacketReader(socket.getInputStream(), 16 << 20);
        }

        public SSLSocket socket() {
            return socket;
        }

        public Raw send(MqttPacket packet) throws IOException {
            return sendBytes(MqttCodec.encode(packet));
        }

        public Raw sendBytes(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        }

        public MqttPacket read() throws IOException {
            return reader.read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** MqttQos for terse tests. */
    public static final MqttQos QOS0 = MqttQos.AT_MOST_ONCE;

    public static final MqttQos QOS1 = MqttQos.AT_LEAST_ONCE;
}
