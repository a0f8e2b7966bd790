package dev.pandaproxy.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGINT/SIGTERM, then closes what it started, newest first. */
final class Shutdown {
    private Shutdown() {}

    static int awaitSignal(List<? extends AutoCloseable> resources) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (int i = resources.size() - 1; i >= 0; i--) {
                                try {
                                    resources.get(i).close();
                                } catch (Exception ignored) {
                                    // shutting down regardless
                                }
                            }
                            stopped.countDown();
                        },
                        "pandaproxy-shutdown"));
        stopped.await();
        return 0;
    }
}
