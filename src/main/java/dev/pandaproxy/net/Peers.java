package dev.pandaproxy.net;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/** How peers appear in log lines: {@code 192.168.1.20:53422}, {@code [fe80::1]:53422}. */
public final class Peers {
    private Peers() {}

    public static String describe(Socket socket) {
        return describe(socket.getRemoteSocketAddress());
    }

    public static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
