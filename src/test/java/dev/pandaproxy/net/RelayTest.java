package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pandaproxy.config.RelayConfig;
import dev.pandaproxy.status.ServiceStats;
import dev.pandaproxy.status.ServiceStats.Counter;
import dev.pandaproxy.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw relay's limits over real sockets: a printer stand-in that echoes, or streams. */
class RelayTest {
    private static final int WAIT_MILLIS = 20_000;
    private static final Duration WAIT = Duration.ofMillis(WAIT_MILLIS);

    /** What the printer stand-in does with a connection. */
    private enum Behaviour {
        /** Sends back every byte. */
        ECHO,
        /** After 4 bytes, 100 bytes every 50 ms. */
        STREAM,
        /** Reads until the client's EOF, then sends {@link #ANSWER_BYTES} and closes. */
        ANSWER,
        /** Resets the connection after {@link #BEFORE_RESET_BYTES}. */
        RESET
    }

    private static final int ANSWER_BYTES = 70_001;
    private static final int BEFORE_RESET_BYTES = 5;

    private ServerSocket printer;
    private final AtomicInteger printerConnections = new AtomicInteger();
    private volatile Behaviour behaviour = Behaviour.ECHO;
    private final ServiceStats stats = new ServiceStats();
    private Listener relay;

    @BeforeEach
    void startPrinter() throws IOException {
        printer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!printer.isClosed()) {
                try {
                    Socket connection = printer.accept();
                    printerConnections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        printer.close();
    }

    @Test
    void aClientThatSaysNothingIsClosedWithoutAPrinterConnection() throws Exception {
        startRelay(new RelayConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 4), Relay.FirstWord.CLIENT);
        try (Socket client = connect()) {
            assertThat(closedByRelay(client)).isTrue();
        }
        assertThat(printerConnections).hasValue(0);
    }

    @Test
    void aClientThatSpeaksIsRelayedByteForByte() throws Exception {
        startRelay(new RelayConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 4), Relay.FirstWord.CLIENT);
        try (Socket client = connect()) {
            client.getOutputStream().write("hello".getBytes());
            assertThat(client.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
            client.getOutputStream().write("again".getBytes());
            assertThat(client.getInputStream().readNBytes(5)).isEqualTo("again".getBytes());
        }
        assertThat(printerConnections).hasValue(1);
    }

    @Test
    void aConnectionSilentBothWaysIsClosedAfterTheIdleTimeout() throws Exception {
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofSeconds(1), 4), Relay.FirstWord.ANYONE);
        try (Socket client = connect()) {
            client.getOutputStream().write("x".getBytes());
            assertThat(client.getInputStream().read()).isEqualTo('x');
            assertThat(closedByRelay(client)).isTrue();
        }
    }

    @Test
    void oneBusyDirectionKeepsTheConnectionOpen() throws Exception {
        behaviour = Behaviour.STREAM;
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofMillis(300), 4), Relay.FirstWord.CLIENT);
        try (Socket client = connect()) {
            client.getOutputStream().write("play".getBytes());
            client.setSoTimeout(WAIT_MILLIS);
            // the printer writes 100 bytes every 50 ms: 3 s of stream while the client stays silent, ten idle timeouts
            assertThat(client.getInputStream().readNBytes(6_000)).hasSize(6_000);
        }
    }

    @Test
    void eachDirectionIsCountedAndLoggedApart() throws Exception {
        behaviour = Behaviour.ANSWER;
        int sent = 30_011;
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofMinutes(5), 4), Relay.FirstWord.CLIENT);
        try (LogCapture logs = LogCapture.start();
                Socket client = connect()) {
            byte[] request = new byte[sent];
            Arrays.fill(request, (byte) 'q');
            client.getOutputStream().write(request);
            client.shutdownOutput();
            assertThat(client.getInputStream().readAllBytes()).hasSize(ANSWER_BYTES);
            await().atMost(WAIT).until(() -> stats.get(Counter.RELAYED_MESSAGES) == 1);
            assertThat(stats.get(Counter.CLIENT_TO_UPSTREAM_BYTES)).isEqualTo(sent);
            assertThat(stats.get(Counter.UPSTREAM_TO_CLIENT_BYTES)).isEqualTo(ANSWER_BYTES);
            assertThat(stats.get(Counter.RELAYED_BYTES)).isEqualTo(sent + ANSWER_BYTES);
            assertThat(stats.counters())
                    .containsEntry("client_to_upstream_bytes", (long) sent)
                    .containsEntry("upstream_to_client_bytes", (long) ANSWER_BYTES);
            String route = "127.0.0.1:" + client.getLocalPort() + " %s 127.0.0.1:" + printer.getLocalPort();
            assertThat(logs.lines())
                    .contains(
                            "relay-test: " + route.formatted("->") + " closed after " + sent + " bytes: EOF",
                            "relay-test: " + route.formatted("<-") + " closed after " + ANSWER_BYTES + " bytes: EOF");
        }
    }

    @Test
    void aPrinterResetIsLoggedAsTheReasonAndTheOtherDirectionFollows() throws Exception {
        behaviour = Behaviour.RESET;
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofMinutes(5), 4), Relay.FirstWord.CLIENT);
        try (LogCapture logs = LogCapture.start();
                Socket client = connect()) {
            client.getOutputStream().write(new byte[BEFORE_RESET_BYTES]);
            assertThat(closedByRelay(client)).isTrue();
            String route = "127.0.0.1:" + client.getLocalPort() + " %s 127.0.0.1:" + printer.getLocalPort();
            await().atMost(WAIT).until(() -> stats.get(Counter.RELAYED_MESSAGES) == 1);
            assertThat(logs.lines())
                    .contains(
                            "relay-test: " + route.formatted("<-") + " closed after 0 bytes: reset",
                            "relay-test: " + route.formatted("->") + " closed after " + BEFORE_RESET_BYTES
                                    + " bytes: the other direction ended");
            assertThat(stats.get(Counter.CLIENT_TO_UPSTREAM_BYTES)).isEqualTo(BEFORE_RESET_BYTES);
            assertThat(stats.get(Counter.UPSTREAM_TO_CLIENT_BYTES)).isZero();
        }
    }

    @Test
    void anIdleConnectionIsLoggedAsIdle() throws Exception {
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofSeconds(1), 4), Relay.FirstWord.ANYONE);
        try (LogCapture logs = LogCapture.start();
                Socket client = connect()) {
            client.getOutputStream().write("x".getBytes());
            assertThat(client.getInputStream().read()).isEqualTo('x');
            assertThat(closedByRelay(client)).isTrue();
            await().atMost(WAIT).until(() -> stats.get(Counter.RELAYED_MESSAGES) == 1);
            // whichever direction noticed first names the reason; the other ends because of it
            assertThat(logs.lines())
                    .filteredOn(line -> line.startsWith("relay-test: 127.0.0.1:" + client.getLocalPort() + " "))
                    .hasSize(2)
                    .anySatisfy(line ->
                            assertThat(line).endsWith(" closed after 1 bytes: idle timeout (relay.idle-timeout)"))
                    .anySatisfy(line -> assertThat(line).endsWith(" closed after 1 bytes: the other direction ended"));
        }
    }

    @Test
    void aSilentClientIsLoggedAsAFirstByteTimeout() throws Exception {
        startRelay(new RelayConfig(Duration.ofMillis(500), Duration.ofMinutes(5), 4), Relay.FirstWord.CLIENT);
        try (LogCapture logs = LogCapture.start();
                Socket client = connect()) {
            assertThat(closedByRelay(client)).isTrue();
            await().atMost(WAIT)
                    .until(() -> logs.lines()
                            .contains("relay-test: 127.0.0.1:" + client.getLocalPort() + " -> 127.0.0.1:"
                                    + printer.getLocalPort()
                                    + " closed after 0 bytes: first-byte timeout (relay.first-byte-timeout)"));
        }
    }

    @Test
    void aPumpsRefusalIsLoggedWithItsReasonEscaped() throws Exception {
        try (LogCapture logs = LogCapture.start();
                ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket clientSide = server.accept();
                Socket upstreamPeer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket upstreamSide = server.accept()) {
            Relay.Pump refusing = (in, out, counter) -> {
                counter.addAndGet(in.readNBytes(3).length);
                throw new IOException("bad header\nforged line");
            };
            Thread relaying = Thread.ofVirtual().start(() -> {
                try {
                    Relay.run("pump-test", clientSide, upstreamSide, refusing, new AtomicLong(), new AtomicLong());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            client.getOutputStream().write("abc".getBytes());
            relaying.join(WAIT);
            assertThat(relaying.isAlive()).isFalse();
            String route = Peers.describe(clientSide) + " %s " + Peers.describe(upstreamSide);
            assertThat(logs.lines())
                    .contains(
                            "pump-test: " + route.formatted("->")
                                    + " closed after 3 bytes: error (bad header\\nforged line)",
                            "pump-test: " + route.formatted("<-") + " closed after 0 bytes: the other direction ended");
        }
    }

    private void startRelay(RelayConfig limits, Relay.FirstWord firstWord) {
        relay = Listener.start(
                new Listener.Spec("relay-test", "test.port", "127.0.0.1", 0, limits.maxClients(), () -> {}),
                ServerSocket::new,
                Relay.to(
                        "relay-test",
                        "127.0.0.1",
                        printer.getLocalPort(),
                        Duration.ofSeconds(5),
                        limits,
                        firstWord,
                        stats));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", relay.port());
        socket.setSoTimeout(WAIT_MILLIS);
        return socket;
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            switch (behaviour) {
                case STREAM -> {
                    in.readNBytes(4);
                    while (true) {
                        out.write(new byte[100]);
                        Thread.sleep(50); // the stream's pace, not a wait for an outcome
                    }
                }
                case ANSWER -> {
                    in.readAllBytes();
                    out.write(new byte[ANSWER_BYTES]);
                }
                case RESET -> {
                    in.readNBytes(BEFORE_RESET_BYTES);
                    Sockets.abort(connection);
                }
                case ECHO -> {
                    for (int b = in.read(); b >= 0; b = in.read()) {
                        out.write(b);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // the relay closed it
        }
    }

    /** Whether the relay closed {@code client} (EOF or reset) before its read timeout. */
    private static boolean closedByRelay(Socket client) {
        try {
            return client.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
