package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ListenerTest {
    /** A server socket whose first {@code failures} accepts fail as they do when the process is out of file descriptors. */
    private static final class FailingServerSocket extends ServerSocket {
        private final int failures;
        private final List<Long> attempts = new CopyOnWriteArrayList<>();

        FailingServerSocket(int failures) throws IOException {
            this.failures = failures;
        }

        @Override
        public Socket accept() throws IOException {
            attempts.add(System.nanoTime());
            if (attempts.size() <= failures) {
                throw new IOException("Too many open files");
            }
            return super.accept();
        }
    }

    @Test
    void aPersistentAcceptErrorIsRetriedAfterAPauseAndServingResumesOnceItClears() throws Exception {
        FailingServerSocket server = new FailingServerSocket(4);
        CountDownLatch served = new CountDownLatch(1);
        try (Listener listener = Listener.start(
                new Listener.Spec("test", "test.port", "127.0.0.1", 0, 10, () -> {}),
                () -> server,
                socket -> served.countDown())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.attempts.size() > 4);
            // today's spinning loop retried within microseconds; every retry now waits at least half the first delay
            for (int i = 1; i <= 4; i++) {
                assertThat(server.attempts.get(i) - server.attempts.get(i - 1))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(25).toNanos());
            }
            try (Socket client = new Socket("127.0.0.1", listener.port())) {
                assertThat(served.await(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
