package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines over real loopback connections: a blocked read is ended when one passes, and only then. */
@Timeout(60) // a deadline that never fires leaves a read blocked for ever
class DeadlineTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aPassedDeadlineAbortsTheBlockedReader() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            Deadline deadline = Deadline.abortAfter(Duration.ofMillis(200), client);
            try (deadline) {
                assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(IOException.class);
            }
            assertThat(deadline.expired()).isTrue();
            assertThat(client.isClosed()).isTrue();
        }
    }

    @Test
    void aDeadlineClosedInTimeLeavesTheSocketAlone() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            Deadline deadline = Deadline.abortAfter(Duration.ofMillis(300), client);
            deadline.close();
            // a second deadline on the same socket, longer than the first, shows the sweeper has passed its time
            Deadline later = Deadline.abortAfter(Duration.ofMillis(600), client);
            await().atMost(WAIT).until(later::expired);
            assertThat(deadline.expired()).isFalse();
        }
    }

    @Test
    void deadlinesStartedAtTheSameMomentWakeTheIdleSweeper() throws Exception {
        // the sweeper sleeps while nothing is pending; deadlines started together, from an idle sweeper, must
        // all still fire (round after round, since the race is about which add comes first)
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int round = 0; round < 50; round++) {
                await().atMost(WAIT).until(Deadline::sweeperIdle);
                List<Socket> clients = new ArrayList<>();
                List<Socket> peers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    clients.add(new Socket(server.getInetAddress(), server.getLocalPort()));
                    peers.add(server.accept());
                }
                CyclicBarrier together = new CyclicBarrier(clients.size());
                List<Deadline> deadlines = Collections.synchronizedList(new ArrayList<>());
                List<Thread> threads = clients.stream()
                        .map(target -> Thread.ofPlatform().start(() -> {
                            try {
                                together.await();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            deadlines.add(Deadline.abortAfter(Duration.ofMillis(10), target));
                        }))
                        .toList();
                for (Thread thread : threads) {
                    thread.join();
                }
                await().atMost(WAIT).until(() -> deadlines.stream().allMatch(Deadline::expired));
                assertThat(clients).allMatch(Socket::isClosed);
                for (Socket peer : peers) {
                    peer.close();
                }
            }
        }
    }
}
