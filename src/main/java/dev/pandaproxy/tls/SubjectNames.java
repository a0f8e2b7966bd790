package dev.pandaproxy.tls;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Subject alternative names of a server certificate.
 *
 * @param dns DNS names
 * @param ips IP address literals
 */
public record SubjectNames(List<String> dns, List<String> ips) {
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

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
            (isAddress(name) ? ips : dns).add(name);
        }
        return new SubjectNames(List.copyOf(dns), List.copyOf(ips));
    }

    /** Whether {@code name} is an IPv4 or IPv6 address literal rather than a host name. */
    private static boolean isAddress(String name) {
        if (IPV4.matcher(name).matches()) {
            return true;
        }
        // host names have no colon: with one, the JDK parses it as an IPv6 literal, without a DNS lookup
        try {
            return name.contains(":") && InetAddress.getByName(name) instanceof Inet6Address;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
