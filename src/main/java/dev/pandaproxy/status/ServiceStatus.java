package dev.pandaproxy.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one proxied service.
 *
 * @param service  service name ({@code camera}, {@code mqtt}, …)
 * @param listen   the address clients use, {@code host:port}
 * @param clients  clients connected now
 * @param connected who they are, where the service tracks them (empty otherwise)
 * @param upstream the printer connection, if the service has one
 * @param counters cumulative counters by name (see {@link ServiceStats})
 */
public record ServiceStatus(
        String service,
        String listen,
        int clients,
        List<ServiceStats.Client> connected,
        Optional<UpstreamStatus> upstream,
        Map<String, Long> counters) {}
