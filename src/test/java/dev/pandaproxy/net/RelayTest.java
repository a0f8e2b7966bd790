package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.config.RelayConfig;
import dev.pandaproxy.status.ServiceStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw relay's limits over real sockets: a printer stand-in that echoes, or streams. */
class RelayTest {
    private static final int WAIT_MILLIS = 20_000;

    private ServerSocket printer;
    private final AtomicInteger printerConnections = new AtomicInteger();
    private volatile boolean streaming;
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
        streaming = true;
        startRelay(new RelayConfig(Duration.ofSeconds(5), Duration.ofMillis(300), 4), Relay.FirstWord.CLIENT);
        try (Socket client = connect()) {
            client.getOutputStream().write("play".getBytes());
            client.setSoTimeout(WAIT_MILLIS);
            // the printer writes 100 bytes every 50 ms: 3 s of stream while the client stays silent, ten idle timeouts
            assertThat(client.getInputStream().readNBytes(6_000)).hasSize(6_000);
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
                        new ServiceStats()));
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
            if (streaming) {
                in.readNBytes(4);
                while (true) {
                    out.write(new byte[100]);
                    Thread.sleep(50); // the stream's pace, not a wait for an outcome
                }
            }
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
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
