package dev.pandaproxy.testing;

import dev.pandaproxy.tls.ServerIdentity;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker on loopback with TLS 1.2 and a password file ({@code bblp} + the code): a
 * stand-in for the printer, or a bridge to compare with. Needs {@code mosquitto} and
 * {@code mosquitto_passwd} on the PATH (the caller checks with {@link RealPeers}).
 */
public final class MosquittoBroker implements AutoCloseable {
    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a broker presenting {@code identity}, with {@code extraConfig} appended (e.g. a bridge).
     *
     * @param name a file prefix in {@code dir}
     */
    public static MosquittoBroker start(
            Path dir, String name, ServerIdentity identity, String password, String extraConfig) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        identity.writePemFiles(cert, key);
        Path passwords = dir.resolve(name + "-passwords");
        Process passwd = new ProcessBuilder(
                        RealPeers.require("mosquitto_passwd").toString(),
                        "-b",
                        "-c",
                        passwords.toString(),
                        "bblp",
                        password)
                .redirectErrorStream(true)
                .start();
        if (!passwd.waitFor(30, TimeUnit.SECONDS) || passwd.exitValue() != 0) {
            throw new IOException("mosquitto_passwd failed: "
                    + new String(passwd.getInputStream().readAllBytes()));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve(name + ".conf"), """
                user %s
                per_listener_settings false
                allow_anonymous false
                password_file %s
                max_queued_messages 100000
                listener %d 127.0.0.1
                certfile %s
                keyfile %s
                tls_version tlsv1.2
                %s
                """.formatted(
                        System.getProperty("user.name"), passwords, port, cert, key, extraConfig));
        Process process = new ProcessBuilder(RealPeers.require("mosquitto").toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        MosquittoBroker broker = new MosquittoBroker(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!broker.accepts()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                broker.close();
                throw new IOException("mosquitto did not start; see " + dir.resolve(name + ".log"));
            }
            Thread.sleep(50);
        }
        return broker;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private boolean accepts() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
