package dev.pandaproxy.doctor;

import dev.pandaproxy.chamber.ChamberClient;
import dev.pandaproxy.config.PrinterConfig;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Service;
import dev.pandaproxy.config.TrustMode;
import dev.pandaproxy.discovery.DetectCodec;
import dev.pandaproxy.discovery.SsdpMessage;
import dev.pandaproxy.ftp.FtpsProbe;
import dev.pandaproxy.json.Json;
import dev.pandaproxy.mqtt.MqttCodec;
import dev.pandaproxy.mqtt.MqttPacket;
import dev.pandaproxy.mqtt.MqttPacketReader;
import dev.pandaproxy.net.LogText;
import dev.pandaproxy.tls.PrinterTrust;
import dev.pandaproxy.tls.TlsPolicy;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import io.helidon.json.JsonValueType;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Checks an installation from a client's point of view, as a slicer would use it: the announcement, the
 * detect handshake, MQTT and FTPS with the proxy CA, the camera, the HTTP side. Each check ends in one
 * line saying what works or what to fix, and each has one deadline: a check still waiting then fails with
 * what it was waiting for.
 */
public final class Doctor {
    private final ProxyConfig config;
    private final Duration timeout;
    private final String host;
    private SSLContext tls;

    /** The outcome of one check. */
    public enum Status {
        OK,
        FAIL,
        SKIP
    }

    /**
     * One line of the report.
     *
     * @param check  what was checked
     * @param status how it went
     * @param detail what works, or what to fix
     */
    public record Result(String check, Status status, String detail) {
        @Override
        public String toString() {
            return String.format("%-4s %-10s %s", status, check, detail);
        }
    }

    /** How long a check may wait unless told otherwise ({@code doctor --timeout}, the page's check button). */
    public static final int DEFAULT_TIMEOUT_SECONDS = 15;

    /**
     * @param timeout how long each check may take (discovery also waits one announcement interval)
     */
    public Doctor(ProxyConfig config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
        String bind = config.proxy().bind();
        this.host = config.proxy()
                .advertiseAddress()
                .orElse(bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind);
    }

    /** Runs every check in order. */
    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        results.add(check("ca", timeout, "the proxy CA file", this::certificateAuthority));
        results.add(check("http", timeout, "/observe/health/ready", this::http));
        results.add(
                config.slicer().discovery()
                        ? check(
                                "discovery",
                                config.slicer()
                                        .announceInterval()
                                        .plusSeconds(3)
                                        .plus(timeout),
                                "an announcement of " + config.printer().serial(),
                                this::discovery)
                        : new Result("discovery", Status.SKIP, "slicer.discovery is off"));
        results.add(
                config.slicer().detect()
                        ? check("detect", timeout, "the detect handshake's answer", this::detect)
                        : new Result("detect", Status.SKIP, "slicer.detect is off"));
        results.add(
                enabled(Service.MQTT)
                        ? check("mqtt", timeout, "a full MQTT report (one with print.net.info)", this::mqtt)
                        : new Result("mqtt", Status.SKIP, "not in proxy.services"));
        results.add(
                enabled(Service.FTP)
                        ? check("ftps", timeout, "an FTPS upload and its removal", this::ftps)
                        : new Result("ftps", Status.SKIP, "not in proxy.services"));
        results.add(
                enabled(Service.CAMERA)
                        ? check("camera", timeout, "a camera frame", this::camera)
                        : new Result("camera", Status.SKIP, "not in proxy.services"));
        return results;
    }

    private interface Check {
        String run() throws Exception;
    }

    /**
     * Runs {@code check} on a thread of its own and gives up after {@code limit}: interrupting a virtual thread
     * closes the socket it is blocked on, so nothing of the check outlives its line.
     */
    private static Result check(String name, Duration limit, String awaited, Check check) {
        FutureTask<String> task = new FutureTask<>(check::run);
        Thread thread = Thread.ofVirtual().name("doctor-" + name).start(task);
        try {
            return new Result(name, Status.OK, task.get(limit.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            thread.interrupt();
            return new Result(name, Status.FAIL, "gave up after " + limit.toSeconds() + " s waiting for " + awaited);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Result(name, Status.FAIL, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new Result(name, Status.FAIL, "interrupted");
        }
    }

    private String certificateAuthority() throws IOException {
        Path ca = trustFile();
        if (!Files.isReadable(ca)) {
            throw new IOException(ca + " is missing: start the proxy once (it creates its CA), or run pandaproxy ca");
        }
        tls = PrinterTrust.create(
                        TrustMode.CA,
                        Optional.of(ca),
                        config.proxy().stateDir().resolve("doctor-pins"),
                        config.printer().serial())
                .clientContext();
        return "clients verify the proxy against " + ca + " (import it into slicers; see the README)";
    }

    private String http() throws Exception {
        int port = config.http().port();
        HttpResponse<String> ready = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/observe/health/ready"))
                                .timeout(timeout)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() != 200) {
            throw new IOException(
                    "http://" + host + ":" + port + "/observe/health/ready answered " + ready.statusCode());
        }
        return "ready on http://" + host + ":" + port;
    }

    private String discovery() throws IOException {
        int port = config.slicer().announcePort();
        Duration wait = config.slicer().announceInterval().plusSeconds(3);
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buffer = new byte[4096];
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                SsdpMessage message;
                try {
                    message = SsdpMessage.parse(packet.getData(), packet.getLength());
                } catch (IOException notOurs) {
                    continue;
                }
                if (message.header("USN")
                                .filter(config.printer().serial()::equals)
                                .isPresent()
                        && message.header("X-PandaProxy-Announcer").isPresent()
                        && "ssdp:alive".equals(message.header("NTS").orElse(""))) {
                    return "announced as \""
                            + message.header("DevName.bambu.com").orElse("?") + "\" at "
                            + message.header("Location").orElse("?") + " on UDP " + port;
                }
            }
        }
        throw new IOException("no announcement of " + config.printer().serial() + " on UDP " + port + " within "
                + wait.toSeconds() + " s: is the proxy running with slicer.discovery on, and does slicer.interfaces "
                + "include this machine's network?");
    }

    private String detect() throws IOException {
        String plain = detectAt(new Socket(), config.proxy().detectPort());
        SSLSocket socket = (SSLSocket) tls().getSocketFactory().createSocket();
        // the suite slicers' network plugin uses on 3002
        socket.setEnabledProtocols(TlsPolicy.PROTOCOLS.toArray(String[]::new));
        socket.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_AES_256_GCM_SHA384"});
        detectAt(socket, config.proxy().detectTlsPort());
        return "answers on " + config.proxy().detectPort() + " and "
                + config.proxy().detectTlsPort() + " (TLS, plain-RSA suite) as " + plain;
    }

    private String detectAt(Socket socket, int port) throws IOException {
        try (socket) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream()
                    .write(DetectCodec.encode("{\"login\":{\"command\":\"detect\",\"sequence_id\":\"20000\"}}"
                            .getBytes(StandardCharsets.UTF_8)));
            JsonObject answer = Json.parseObject(DetectCodec.read(socket.getInputStream(), 4096))
                    .orElseThrow(() -> new IOException("port " + port + " answered something that is not JSON"));
            String id = Json.asText(Json.at(answer, "login", "id"));
            if (!config.printer().serial().equals(id)) {
                throw new IOException("port " + port + " answered for " + LogText.escape(id) + ", not "
                        + config.printer().serial());
            }
            return LogText.escape(Json.asText(Json.at(answer, "login", "model")) + " \""
                    + Json.asText(Json.at(answer, "login", "name")) + "\"");
        } catch (IOException e) {
            throw new IOException("detect on port " + port + ": " + e.getMessage(), e);
        }
    }

    private String mqtt() throws Exception {
        String serial = config.printer().serial();
        try (SSLSocket socket = (SSLSocket) tls().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, config.proxy().ports().mqtt()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            MqttPacketReader reader = new MqttPacketReader(socket.getInputStream(), 16 << 20);
            send(
                    socket,
                    new MqttPacket.Connect(
                            4,
                            true,
                            60,
                            "pandaproxy-doctor",
                            Optional.empty(),
                            Optional.of("bblp"),
                            Optional.of(config.printer().accessCode().revealBytes())));
            if (!(reader.read() instanceof MqttPacket.ConnAck ack) || ack.returnCode() != 0) {
                throw new IOException("the proxy refused the MQTT login: check the access code");
            }
            send(
                    socket,
                    new MqttPacket.Subscribe(
                            1, List.of(new MqttPacket.TopicRequest("device/" + serial + "/report", 0))));
            send(
                    socket,
                    new MqttPacket.Publish(
                            false,
                            0,
                            false,
                            "device/" + serial + "/request",
                            0,
                            "{\"pushing\":{\"sequence_id\":\"0\",\"command\":\"pushall\"}}"
                                    .getBytes(StandardCharsets.UTF_8)));
            int withoutAddress = 0;
            while (true) {
                MqttPacket packet;
                try {
                    packet = reader.read();
                } catch (SocketTimeoutException e) {
                    throw new IOException(
                            "no report within " + timeout.toSeconds() + " s: is the printer reachable? (see /status)");
                } catch (IOException e) {
                    throw new IOException(
                            "waiting for a report with print.net.info (" + withoutAddress
                                    + " reports without it so far): " + e.getMessage(),
                            e);
                }
                if (packet instanceof MqttPacket.Publish report) {
                    Optional<JsonValue> ip = Json.parseObject(report.payload())
                            .flatMap(json -> Json.elements(Json.at(json, "print", "net", "info")).stream()
                                    .findFirst())
                            .flatMap(entry -> Json.at(entry, "ip"))
                            .filter(value -> value.type() == JsonValueType.NUMBER);
                    if (ip.isEmpty()) {
                        withoutAddress++;
                        continue; // a delta without the address: wait for the full report, until the deadline
                    }
                    String announced = littleEndianIpv4(ip.get().asNumber().longValue());
                    if (enabled(Service.FTP) && !announced.equals(addressOf(host))) {
                        throw new IOException(
                                "reports name " + announced + " as the printer's address, so slicers upload "
                                        + "around the proxy: set proxy.advertise-address (mqtt.rewrite-printer-ip is "
                                        + (config.mqtt().rewritePrinterIp() ? "on" : "off") + ")");
                    }
                    return "logged in with the proxy CA, got a full report; print.net.info points at " + announced;
                }
            }
        }
    }

    private String ftps() throws IOException {
        PrinterConfig proxyAsServer = new PrinterConfig(
                host,
                config.printer().serial(),
                config.printer().accessCode(),
                config.proxy().ports(),
                TrustMode.CA,
                Optional.empty(),
                Optional.empty(),
                timeout,
                config.printer().reconnect());
        return FtpsProbe.uploadAndRemove(tls(), proxyAsServer, "pandaproxy-doctor.txt", timeout);
    }

    private String camera() throws IOException {
        try (ChamberClient client = ChamberClient.connect(
                tls(),
                host,
                config.proxy().ports().chamber(),
                config.printer().accessCode(),
                timeout,
                config.camera().maxFrameBytes())) {
            return "received a " + client.readFrame().jpeg().length + "-byte frame on "
                    + config.proxy().ports().chamber();
        } catch (EOFException e) {
            throw new IOException("the camera port closed without a frame: check the access code, and whether the "
                    + "printer's camera is reachable (see /status)");
        }
    }

    private SSLContext tls() throws IOException {
        if (tls == null) {
            certificateAuthority();
        }
        return tls;
    }

    private Path trustFile() {
        return config.proxy().tls().cert().orElse(config.proxy().stateDir().resolve("ca.pem"));
    }

    private boolean enabled(Service service) {
        return config.proxy().services().contains(service);
    }

    private static void send(SSLSocket socket, MqttPacket packet) throws IOException {
        socket.getOutputStream().write(MqttCodec.encode(packet));
        socket.getOutputStream().flush();
    }

    private static String littleEndianIpv4(long value) {
        return (value & 0xFF) + "." + (value >> 8 & 0xFF) + "." + (value >> 16 & 0xFF) + "." + (value >> 24 & 0xFF);
    }

    private static String addressOf(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        return address instanceof Inet4Address ? address.getHostAddress() : host;
    }
}
