package dev.pandaproxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pandaproxy.testing.RealPeers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Telling which process opened a loopback connection, over real sockets. */
class LoopbackPeerTest {
    @Test
    void aConnectionOfThisProcessIsItsAndNotAnothers() throws Exception {
        Assumptions.assumeTrue(LoopbackPeer.supported(), "needs Linux /proc");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            assertThat(LoopbackPeer.isFrom(accepted, ProcessHandle.current())).hasValue(true);
            ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
            assertThat(LoopbackPeer.isFrom(accepted, parent)).hasValue(false);
        }
    }

    @Test
    void aConnectionOfAChildProcessIsTheChilds() throws Exception {
        Assumptions.assumeTrue(LoopbackPeer.supported(), "needs Linux /proc");
        String curl = RealPeers.require("curl").toString();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process child = new ProcessBuilder(
                            curl, "-s", "-m", "20", "http://127.0.0.1:" + server.getLocalPort() + "/")
                    .redirectErrorStream(true)
                    .start();
            try (Socket accepted = server.accept()) {
                assertThat(LoopbackPeer.isFrom(accepted, child.toHandle())).hasValue(true);
                assertThat(LoopbackPeer.isFrom(accepted, ProcessHandle.current()))
                        .hasValue(false);
            } finally {
                child.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void theTableLineOfTheConnectionGivesItsInode() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0 100 0 0 10 0",
                "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0 20 4 30 10 -1",
                "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 333 1 0 20 4 30 10 -1");

        assertThat(LoopbackPeer.inodeIn(table, 0xC350, 0x1F90)).hasValue("222");
        assertThat(LoopbackPeer.inodeIn(table, 0x1F90, 0xC350)).hasValue("333");
        assertThat(LoopbackPeer.inodeIn(table, 0xC351, 0x1F90)).isEmpty();
    }
}
