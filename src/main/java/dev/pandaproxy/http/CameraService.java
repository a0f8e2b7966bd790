package dev.pandaproxy.http;

import dev.pandaproxy.chamber.ChamberFrame;
import dev.pandaproxy.chamber.FrameFeed;
import dev.pandaproxy.fanout.Subscription;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.status.ServiceStats;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The camera over HTTP: {@code /snapshot.jpg} (one JPEG) and {@code /stream.mjpeg}
 * ({@code multipart/x-mixed-replace}, which browsers, curl and {@code ffmpeg -i} understand).
 */
final class CameraService implements HttpService {
    private static final System.Logger LOG = System.getLogger(CameraService.class.getName());
    private static final String BOUNDARY = "pandaproxy-frame";

    private final FrameFeed feed;
    private final BasicAuth auth;
    private final Duration snapshotTimeout;
    private final Semaphore streams;
    private final int maxStreams;
    private final ServiceStats stats;

    CameraService(FrameFeed feed, BasicAuth auth, Duration snapshotTimeout, int maxStreams, ServiceStats stats) {
        this.feed = feed;
        this.auth = auth;
        this.snapshotTimeout = snapshotTimeout;
        this.streams = new Semaphore(maxStreams);
        this.maxStreams = maxStreams;
        this.stats = stats;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/snapshot.jpg", this::snapshot).get("/stream.mjpeg", this::stream);
    }

    private void snapshot(ServerRequest request, ServerResponse response) throws InterruptedException {
        if (!auth.admit(request, response)) {
            return;
        }
        Optional<ChamberFrame> frame = feed.currentFrame();
        if (frame.isEmpty()) {
            // nobody is watching, so the printer connection may be idle: watch until one frame arrives
            try (Subscription<ChamberFrame> subscription = feed.subscribe()) {
                frame = Optional.ofNullable(subscription.next(snapshotTimeout));
            }
        }
        if (frame.isEmpty()) {
            response.status(Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.RETRY_AFTER, "5")
                    .send("no frame from the printer within " + snapshotTimeout.toSeconds() + " s; see /status\n");
            return;
        }
        byte[] jpeg = frame.get().jpeg();
        stats.relayed(jpeg.length);
        response.header(HeaderNames.CONTENT_TYPE, "image/jpeg")
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(jpeg);
    }

    private void stream(ServerRequest request, ServerResponse response) throws InterruptedException {
        if (!auth.admit(request, response)) {
            return;
        }
        if (!streams.tryAcquire()) {
            stats.connectionRejected();
            response.status(Status.SERVICE_UNAVAILABLE_503)
                    .send("already " + maxStreams + " MJPEG viewers (http.max-streams)\n");
            return;
        }
        String peer = Peers.describe(request.remotePeer().address());
        int viewers = stats.clientConnected(peer, Optional.empty());
        LOG.log(Level.INFO, "camera-http: {0} started an MJPEG stream ({1} streams)", peer, viewers);
        long sent = 0;
        try (Subscription<ChamberFrame> subscription = feed.subscribe()) {
            response.header(HeaderNames.CONTENT_TYPE, "multipart/x-mixed-replace; boundary=" + BOUNDARY)
                    .header(HeaderNames.CACHE_CONTROL, "no-store");
            try (OutputStream out = response.outputStream()) {
                for (ChamberFrame frame = subscription.next(); frame != null; frame = subscription.next()) {
                    writePart(out, frame.jpeg());
                    sent++;
                    stats.relayed(frame.jpeg().length);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "camera-http: {0}: stream ended: {1}", peer, e.getMessage());
        } finally {
            streams.release();
            int left = stats.clientDisconnected(peer);
            LOG.log(
                    Level.INFO,
                    "camera-http: {0} stopped its MJPEG stream after {1} frames ({2} streams)",
                    peer,
                    sent,
                    left);
        }
    }

    private static void writePart(OutputStream out, byte[] jpeg) throws IOException {
        String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write('\r');
        out.write('\n');
        out.flush();
    }
}
