package dev.pandaproxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.pandaproxy.tls.ServerIdentity;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real vsftpd configured like a printer's FTP server: implicit TLS, {@code require_ssl_reuse=YES}, TLS
 * on every data connection, a passive port range. It logs in local users, so it needs root and a system
 * user {@code bblp} whose password is the test access code ({@code .ci/run} creates it).
 */
public final class Vsftpd implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path root;
    private final Path log;

    private Vsftpd(Process process, int port, Path root, Path log) {
        this.process = process;
        this.port = port;
        this.root = root;
        this.log = log;
    }

    /** Starts vsftpd presenting {@code identity}, passive ports {@code firstPassive}–{@code lastPassive}. */
    public static Vsftpd start(Path dir, ServerIdentity identity, int firstPassive, int lastPassive) throws Exception {
        Path vsftpd = RealPeers.require("vsftpd");
        requireUser();
        Path cert = dir.resolve("vsftpd-cert.pem");
        Path key = dir.resolve("vsftpd-key.pem");
        identity.writePemFiles(cert, key);
        Path root = Files.createDirectories(dir.resolve("ftp-root"));
        UserPrincipal bblp =
                root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("bblp");
        Files.setOwner(root, bblp);
        for (Path parent = dir;
                parent != null && parent.startsWith(System.getProperty("java.io.tmpdir"));
                parent = parent.getParent()) {
            parent.toFile().setExecutable(true, false); // the bblp user must be able to reach its root
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("vsftpd.log");
        Path conf = Files.writeString(
                dir.resolve("vsftpd.conf"), """
                listen=YES
                listen_address=127.0.0.1
                listen_port=%d
                background=NO
                anonymous_enable=NO
                local_enable=YES
                write_enable=YES
                local_umask=022
                local_root=%s
                ssl_enable=YES
                implicit_ssl=YES
                rsa_cert_file=%s
                rsa_private_key_file=%s
                ssl_tlsv1=YES
                ssl_sslv2=NO
                ssl_sslv3=NO
                require_ssl_reuse=YES
                force_local_data_ssl=YES
                force_local_logins_ssl=YES
                pasv_enable=YES
                pasv_min_port=%d
                pasv_max_port=%d
                seccomp_sandbox=NO
                xferlog_enable=YES
                vsftpd_log_file=%s
                log_ftp_protocol=YES
                """.formatted(port, root, cert, key, firstPassive, lastPassive, log));
        Process process = new ProcessBuilder(vsftpd.toString(), conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("vsftpd.out").toFile())
                .start();
        Vsftpd server = new Vsftpd(process, port, root, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.accepts()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                server.close();
                throw new IOException("vsftpd did not start: " + Files.readString(dir.resolve("vsftpd.out")));
            }
            Thread.sleep(50);
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** The directory vsftpd serves. */
    public Path root() {
        return root;
    }

    /** vsftpd's protocol log. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private boolean accepts() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireUser() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Process id =
                new ProcessBuilder("id", "-u", "bblp").redirectErrorStream(true).start();
        boolean userExists = id.waitFor(10, TimeUnit.SECONDS) && id.exitValue() == 0;
        if (root && userExists) {
            return;
        }
        String why = !root ? "vsftpd tests need root" : "vsftpd tests need a system user bblp (.ci/run creates it)";
        if (System.getenv("CI") != null) {
            fail(why + ", and CI is set");
        }
        Assumptions.abort(why);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
