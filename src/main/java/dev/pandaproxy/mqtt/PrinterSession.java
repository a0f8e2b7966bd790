package dev.pandaproxy.mqtt;

import dev.pandaproxy.config.Secret;
import dev.pandaproxy.mqtt.MqttPacket.ConnAck;
import dev.pandaproxy.mqtt.MqttPacket.Connect;
import dev.pandaproxy.mqtt.MqttPacket.PingReq;
import dev.pandaproxy.mqtt.MqttPacket.Publish;
import dev.pandaproxy.mqtt.MqttPacket.SubAck;
import dev.pandaproxy.mqtt.MqttPacket.Subscribe;
import dev.pandaproxy.mqtt.MqttPacket.TopicRequest;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.net.UpstreamLoop;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One MQTT connection to the printer: logged in as {@code bblp}, subscribed to its report topic, pinging
 * to keep the session alive. Reports go to a handler; requests are published at QoS 0, so the session
 * never waits for the printer's acknowledgements (printers have been seen to wedge clients that do).
 * Once logged in, one writer sends everything from a bounded outbox: a printer that stops reading blocks
 * only that writer (until the keep-alive cuts the connection), never the clients whose requests it carries.
 */
final class PrinterSession implements UpstreamLoop.Session {
    private static final int MAX_PACKET_BYTES = 16 << 20;

    private final SSLSocket socket;
    private final MqttPacketReader reader;
    private final OutputStream out;
    /** Encoded packets for the writer; a queue of the JDK's, as the writer is this one thread. */
    private final BlockingQueue<byte[]> outbox;

    private final Duration keepAlive;
    private final BiConsumer<String, byte[]> onPublish;
    private final Thread writer;
    private volatile long lastWriteNanos = System.nanoTime();

    private PrinterSession(
            SSLSocket socket, Duration keepAlive, int outboxCapacity, BiConsumer<String, byte[]> onPublish)
            throws IOException {
        this.socket = socket;
        this.reader =
                new MqttPacketReader(new BufferedInputStream(socket.getInputStream(), 16 * 1024), MAX_PACKET_BYTES);
        this.out = socket.getOutputStream();
        this.outbox = new ArrayBlockingQueue<>(outboxCapacity);
        this.keepAlive = keepAlive;
        this.onPublish = onPublish;
        this.writer = Thread.ofVirtual().name("mqtt-printer-writer").unstarted(this::writeLoop);
    }

    /**
     * Connects, logs in and subscribes to {@code reportTopic}.
     *
     * @param outboxCapacity packets that may wait for the writer; {@link #publish} refuses more
     * @param onPublish      receives every message the printer publishes (topic, payload)
     */
    static PrinterSession open(
            SSLContext context,
            String host,
            int port,
            String clientId,
            Secret accessCode,
            String reportTopic,
            Duration timeout,
            Duration keepAlive,
            int outboxCapacity,
            BiConsumer<String, byte[]> onPublish)
            throws IOException {
        SSLSocket socket = TlsPolicy.configureToPrinter(
                (SSLSocket) context.getSocketFactory().createSocket());
        try (Deadline deadline = Deadline.abortAfter(timeout, socket)) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.startHandshake();
            PrinterSession session = new PrinterSession(socket, keepAlive, outboxCapacity, onPublish);
            // the log-in is written here, before the writer starts: nothing else is sent until it succeeds
            session.write(new Connect(
                    4,
                    true,
                    (int) keepAlive.toSeconds(),
                    clientId,
                    Optional.empty(),
                    Optional.of("bblp"),
                    Optional.of(accessCode.revealBytes())));
            if (!(session.reader.read() instanceof ConnAck ack)) {
                throw new MqttProtocolException("the printer answered CONNECT with something other than CONNACK");
            }
            if (ack.returnCode() != ConnAck.ACCEPTED) {
                throw new IOException("the printer refused the MQTT login (CONNACK " + ack.returnCode() + ")"
                        + (ack.returnCode() == ConnAck.BAD_USERNAME_OR_PASSWORD
                                        || ack.returnCode() == ConnAck.NOT_AUTHORIZED
                                ? ": check the access code"
                                : ""));
            }
            session.write(new Subscribe(1, List.of(new TopicRequest(reportTopic, 0))));
            // the printer may publish before it acknowledges the subscription: hand those on
            while (true) {
                MqttPacket packet = session.reader.read();
                if (packet instanceof SubAck subAck) {
                    if (subAck.returnCodes().contains(SubAck.FAILURE)) {
                        throw new IOException(
                                "the printer refused the subscription to " + reportTopic + ": check the serial number");
                    }
                    break;
                }
                session.dispatch(packet);
            }
            session.writer.start();
            return session;
        } catch (IOException | RuntimeException e) {
            Sockets.abort(socket);
            throw e;
        }
    }

    /** The proxy's own address on the printer's network (the local end of this connection). */
    InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public void run() throws IOException {
        Thread pinger = Thread.ofVirtual().name("mqtt-printer-ping").start(this::pingWhileIdle);
        try {
            while (true) {
                dispatch(reader.read());
            }
        } finally {
            pinger.interrupt();
        }
    }

    /**
     * Queues a request payload for the printer, at QoS 0 and exactly as given, without waiting for the socket.
     *
     * @throws IOException when the outbox is full: the printer is not reading
     */
    void publish(String topic, byte[] payload) throws IOException {
        if (!outbox.offer(MqttCodec.encode(new Publish(false, 0, false, topic, 0, payload)))) {
            throw new IOException(
                    "the printer is not reading: " + outbox.size() + " packets already wait to be written");
        }
    }

    @Override
    public void close() {
        writer.interrupt();
        Sockets.abort(socket);
    }

    private void dispatch(MqttPacket packet) {
        if (packet instanceof Publish publish) {
            onPublish.accept(publish.topic(), publish.payload());
        }
        // PINGRESP, and acknowledgements of anything else, need no action
    }

    /** Writes one packet, cutting the connection if the printer takes longer than the keep-alive to accept it. */
    private void write(MqttPacket packet) throws IOException {
        write(MqttCodec.encode(packet));
    }

    private void write(byte[] bytes) throws IOException {
        try (Deadline deadline = Deadline.abortAfter(keepAlive, socket)) {
            out.write(bytes);
            out.flush();
            lastWriteNanos = System.nanoTime();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                write(outbox.take());
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            // the reader sees the same failure and ends the session
            Sockets.abort(socket);
        }
    }

    /** Queues a PINGREQ when nothing was written for half the keep-alive, so the printer keeps the session. */
    private void pingWhileIdle() {
        long half = keepAlive.toNanos() / 2;
        byte[] ping = MqttCodec.encode(new PingReq());
        try {
            while (true) {
                long idle = System.nanoTime() - lastWriteNanos;
                if (idle >= half) {
                    // a full outbox means the writer is busy: nothing to keep alive then
                    outbox.offer(ping);
                    Thread.sleep(Duration.ofNanos(half));
                } else {
                    Thread.sleep(Duration.ofNanos(half - idle));
                }
            }
        } catch (InterruptedException e) {
            // the session ended
        }
    }
}
