package dev.pandaproxy.tls;

import org.bouncycastle.util.IPAddress;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Subject alternative names of a server certificate.
 *
 * @param dns DNS names
 * @param ips IP address literals
 */
public record SubjectNames(List<String> dns, List<String> ips) {
    /**
     * The names a printer stand-in needs: the serial, {@code localhost}, the loopback addresses, the bind
     * address when it is a specific one, and the user's extra names and addresses.
     */
    public static SubjectNames forServer(String serial, String bindAddress, Collection<String> extra) {
        Set<String> dns = new LinkedHashSet<>(List.of(serial, "localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        Set<String> all = new LinkedHashSet<>(extra);
        if (!bindAddress.equals("0.0.0.0") && !bindAddress.equals("::")) {
            all.add(bindAddress);
        }
        for (String name : all) {
            (IPAddress.isValid(name) ? ips : dns).add(name);
        }
        return new SubjectNames(List.copyOf(dns), List.copyOf(ips));
    }
}
