package dev.pandaproxy.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * fabric8's CRUD mock server, with server-side apply (which it does not support) treated as create-or-replace, and
 * a count of the writes it receives. Field ownership and removal semantics of real SSA are not modelled here.
 */
final class ApplyAsCreateOrReplace extends KubernetesCrudDispatcher {
    private final AtomicInteger writes = new AtomicInteger();

    /** Creates, updates, patches and deletes received so far. */
    int writes() {
        return writes.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String method = request.getMethod();
        if (!method.equals("GET")) {
            writes.incrementAndGet();
        }
        String type = request.getHeader("Content-Type");
        if (method.equals("PATCH") && type != null && type.contains("apply-patch")) {
            String path = request.getPath().split("\\?", 2)[0];
            Buffer body = new Buffer(request.getBody().getBytes());
            if (handleGet(path).code() == 404) {
                return handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, path.substring(0, path.lastIndexOf('/')),
                        Headers.builder().add("Content-Type", "application/json").build(), body));
            }
            // one field manager applying whole objects: the applied object replaces what it owns
            return handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path,
                    Headers.builder().add("Content-Type", "application/json").build(), body));
        }
        return super.dispatch(request);
    }
}
