package dev.pandaproxy.operator;

import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.status.UpstreamState;
import dev.pandaproxy.status.UpstreamStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a proxy pod's {@code /status} over HTTP, into the proxy's own {@link ProxyStatus}. The operator asks the pods, rather than giving each pod the right
 * to write its printer's status: printer pods then need no Kubernetes API access at all. What a pod answers is
 * bounded in size and time ({@link #MAX_BYTES}, {@link #DEADLINE}): a pod is not trusted to be a proxy, and one that
 * talks without end must not hold a worker or fill the operator's heap.
 */
final class ProxyStatusReader {
    /**
     * Reads what the proxy's {@code /status} writes; fields a newer proxy adds are left unread. Jackson 3, which
     * fabric8 loads anyway and which reads instants and optionals by itself: a second Jackson would cost the operator
     * its classes and its own introspection caches.
     */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** A proxy's /status is a few KiB; a larger answer is not one. */
    static final int MAX_BYTES = 64 * 1024;
    /** From connecting to the last byte. */
    static final Duration DEADLINE = Duration.ofSeconds(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(DEADLINE).build();

    /**
     * What a proxy says of itself.
     *
     * @param clients   clients connected now, per service ({@code camera}, {@code mqtt}, …)
     * @param reachable whether the printer answers: a printer connection is up (true), or every one that is not idle
     *                  is failing (false); unknown while the proxy has not tried
     * @param detail    the failing connections' last errors, for the condition's message
     * @param pins      the printer's certificate fingerprints the proxy pinned, by printer port
     */
    record Report(Map<String, Integer> clients, Optional<Boolean> reachable, String detail, Map<Integer, String> pins) {
        /**
         * What the operator uses of a proxy's status. Pins go into a Secret, so only well-formed ones (a port, a hex
         * fingerprint) are kept: the pod is not trusted to be a proxy.
         */
        static Report of(ProxyStatus status) {
            Map<String, Integer> clients = new LinkedHashMap<>();
            boolean connected = false;
            List<String> failing = new ArrayList<>();
            for (ServiceStatus service : Objects.requireNonNullElse(status.services(), List.<ServiceStatus>of())) {
                clients.merge(service.service(), service.clients(), Integer::sum);
                Optional<UpstreamStatus> upstream = Objects.requireNonNullElse(service.upstream(), Optional.empty());
                connected |= upstream.map(UpstreamStatus::state).orElse(null) == UpstreamState.CONNECTED;
                upstream.filter(up -> up.state() == UpstreamState.BACKOFF)
                        .flatMap(up -> Objects.requireNonNullElse(up.lastError(), Optional.<String>empty()))
                        .ifPresent(error -> failing.add(service.service() + ": " + error));
            }
            Map<Integer, String> pins = new TreeMap<>();
            Objects.requireNonNullElse(status.printerPins(), Map.<Integer, String>of())
                    .forEach((port, fingerprint) -> {
                        if (port != null
                                && port > 0
                                && port < 65536
                                && fingerprint != null
                                && fingerprint.matches("[0-9A-Fa-f:]{1,200}")) {
                            pins.put(port, fingerprint);
                        }
                    });
            Optional<Boolean> reachable =
                    connected ? Optional.of(true) : failing.isEmpty() ? Optional.empty() : Optional.of(false);
            return new Report(clients, reachable, String.join("; ", failing), pins);
        }
    }

    /** The proxy's report, from its HTTP port; empty when the pod does not answer. */
    Optional<Report> read(String podAddress, int port) {
        try {
            CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://" + host(podAddress) + ":" + port + "/status"))
                            .timeout(DEADLINE)
                            .build(),
                    atMost(MAX_BYTES));
            HttpResponse<byte[]> response;
            try {
                response = answer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                answer.cancel(true);
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(Report.of(JSON.readValue(response.body(), ProxyStatus.class)));
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The body as bytes, or a failure once it grows past {@code limit}: nothing more is read. */
    private static HttpResponse.BodyHandler<byte[]> atMost(int limit) {
        return info -> new HttpResponse.BodySubscriber<>() {
            private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
            private Flow.Subscription subscription;
            private long received;

            @Override
            public CompletionStage<byte[]> getBody() {
                return bytes.getBody();
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                bytes.onSubscribe(subscription);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                if (received > limit) {
                    return; // refused already: what was in flight is dropped
                }
                received += items.stream().mapToLong(ByteBuffer::remaining).sum();
                if (received > limit) {
                    subscription.cancel();
                    bytes.onError(new IOException("the answer exceeds " + limit + " bytes"));
                } else {
                    bytes.onNext(items);
                }
            }

            @Override
            public void onError(Throwable error) {
                bytes.onError(error);
            }

            @Override
            public void onComplete() {
                bytes.onComplete();
            }
        };
    }

    private static String host(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
