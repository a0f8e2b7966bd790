package dev.pandaproxy.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy pods' reports, asked off the reconcile's path: a changed answer queues the printer once, an unchanged one
 * does not, and a printer whose pod went away has no report.
 */
class ProxyReportsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicReference<String> body = new AtomicReference<>(clients(1));
    private final AtomicInteger asked = new AtomicInteger();
    private final HttpServer pod = pod();
    private final ProxyReports reports = new ProxyReports(new ProxyStatusReader(), Duration.ofMillis(50));
    private final List<String> queued = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        reports.close();
        pod.stop(0);
    }

    @Test
    void aChangedAnswerQueuesThePrinterAndAnUnchangedOneDoesNot() {
        reports.whenChanged(queued::add);
        reports.follow(
                "printers/p1s",
                Optional.of(new ProxyReports.Pod("127.0.0.1", pod.getAddress().getPort())));

        await().atMost(WAIT).until(() -> queued.size() == 1);
        assertThat(queued).containsExactly("printers/p1s");
        assertThat(reports.last("printers/p1s").orElseThrow().clients()).isEqualTo(Map.of("mqtt", 1));

        // the same answer, asked again and again: nothing new to reconcile
        int before = asked.get();
        await().atMost(WAIT).until(() -> asked.get() >= before + 3);
        assertThat(queued).hasSize(1);

        body.set(clients(2));
        await().atMost(WAIT).until(() -> queued.size() == 2);
        assertThat(reports.last("printers/p1s").orElseThrow().clients()).isEqualTo(Map.of("mqtt", 2));
    }

    @Test
    void aPrinterWithoutARunningPodHasNoReport() {
        reports.whenChanged(queued::add);
        reports.follow(
                "printers/p1s",
                Optional.of(new ProxyReports.Pod("127.0.0.1", pod.getAddress().getPort())));
        await().atMost(WAIT).until(() -> reports.last("printers/p1s").isPresent());

        reports.follow("printers/p1s", Optional.empty());

        assertThat(reports.last("printers/p1s")).isEmpty();
    }

    private static String clients(int mqtt) {
        return "{\"services\":[{\"service\":\"mqtt\",\"clients\":" + mqtt
                + ",\"upstream\":{\"state\":\"CONNECTED\"}}]}";
    }

    /** A proxy pod's {@code /status}: whatever {@link #body} holds now. */
    private HttpServer pod() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/status", exchange -> {
                byte[] answer = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
                asked.incrementAndGet();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
