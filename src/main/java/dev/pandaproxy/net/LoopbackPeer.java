package dev.pandaproxy.net;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which process is at the other end of a loopback TCP connection, from Linux's {@code /proc}: the connection's
 * socket inode (in {@code /proc/net/tcp} and {@code tcp6}) among a process's open files. It lets a loopback relay
 * that adds credentials serve only the child process it started, with no secret to hand that process. Where
 * {@code /proc} is not there (macOS, Windows), the answer is "unknown".
 */
public final class LoopbackPeer {
    private static final Path PROC = Path.of("/proc");
    /** /proc/net/tcp's state code of an established connection. */
    private static final String ESTABLISHED = "01";

    private LoopbackPeer() {}

    /** Whether this system can tell (Linux with /proc). */
    public static boolean supported() {
        return Files.isReadable(PROC.resolve("net/tcp"));
    }

    /**
     * Whether {@code accepted} (a connection a local listener accepted) was opened by {@code process}; empty when
     * this system cannot tell.
     */
    public static Optional<Boolean> isFrom(Socket accepted, ProcessHandle process) {
        if (!supported()) {
            return Optional.empty();
        }
        try {
            Optional<String> inode = peerInode(accepted.getPort(), accepted.getLocalPort());
            if (inode.isEmpty()) {
                return Optional.of(false);
            }
            String link = "socket:[" + inode.get() + "]";
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(process.pid() + "/fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(link)) {
                            return Optional.of(true);
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor went away while we looked
                    }
                }
            }
            return Optional.of(false);
        } catch (IOException e) {
            return Optional.of(false); // the process is gone, or not ours to look into
        }
    }

    /** The inode of the peer's end: the connection whose local port is {@code peerPort} and remote port {@code ourPort}. */
    static Optional<String> peerInode(int peerPort, int ourPort) throws IOException {
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            Optional<String> inode = inodeIn(Files.readAllLines(file), peerPort, ourPort);
            if (inode.isPresent()) {
                return inode;
            }
        }
        return Optional.empty();
    }

    /** The matching line's inode, from the lines of a /proc/net/tcp table (its first line is the column titles). */
    static Optional<String> inodeIn(List<String> lines, int localPort, int remotePort) {
        String local = ":" + String.format(Locale.ROOT, "%04X", localPort);
        String remote = ":" + String.format(Locale.ROOT, "%04X", remotePort);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
            if (fields.length > 9
                    && fields[1].endsWith(local)
                    && fields[2].endsWith(remote)
                    && fields[3].equals(ESTABLISHED)) {
                return Optional.of(fields[9]);
            }
        }
        return Optional.empty();
    }
}
