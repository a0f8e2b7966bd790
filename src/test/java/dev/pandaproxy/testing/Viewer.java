package dev.pandaproxy.testing;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.chamber.ChamberFrame;
import dev.pandaproxy.config.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/** A chamber camera viewer reading frames on its own thread, for end-to-end tests. */
public final class Viewer implements AutoCloseable {
    private final ChamberClient client;
    private final List<ChamberFrame> frames = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile IOException ended;

    private Viewer(ChamberClient client) {
        this.client = client;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Connects to a chamber port on loopback and starts reading. */
    public static Viewer connect(SSLContext context, int port, String accessCode) throws IOException {
        ChamberClient client = ChamberClient.connect(
                context, "127.0.0.1", port, Secret.of(accessCode), Duration.ofSeconds(5), 10_000_000);
        client.readTimeout(Duration.ofMinutes(5));
        return new Viewer(client);
    }

    public List<ChamberFrame> frames() {
        return frames;
    }

    public int count() {
        return frames.size();
    }

    /** Why reading stopped (EOF, reset, protocol error), or null while it goes on. */
    public IOException ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        client.close();
        reader.interrupt();
    }

    private void read() {
        try {
            while (true) {
                frames.add(client.readFrame());
            }
        } catch (IOException e) {
            ended = e;
        }
    }
}
