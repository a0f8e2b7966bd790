package dev.pandaproxy.sim;

import dev.pandaproxy.ftp.FtpCodec;
import dev.pandaproxy.ftp.FtpCommand;
import dev.pandaproxy.ftp.FtpLineReader;
import dev.pandaproxy.ftp.FtpProtocolException;
import dev.pandaproxy.ftp.FtpReply;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Listener;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.SessionReuse;
import dev.pandaproxy.tls.TlsPolicy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The simulated printer's implicit FTPS server (port 990) over a directory ({@code <state dir>/sdcard}),
 * with the printer's habits: {@code bblp} + the access code, two sessions at most, {@code 0.0.0.0} in its
 * PASV reply, and TLS data connections that must resume the control connection's session (vsftpd's
 * {@code require_ssl_reuse}), refused with vsftpd's {@code 522} otherwise.
 */
public final class SimulatedFtp implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedFtp.class.getName());
    private static final int MAX_SESSIONS = 2;
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(20);
    private static final DateTimeFormatter MDTM =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final SimulatorConfig config;
    private final SSLContext context;
    private final Path root;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger reuseRefusals = new AtomicInteger();
    private final AtomicInteger clearTransfers = new AtomicInteger();
    /** Data connections, which the listener does not know about: closed with it, as when a printer dies. */
    private final Set<Socket> dataConnections = ConcurrentHashMap.newKeySet();

    private Listener listener;

    SimulatedFtp(SimulatorConfig config, SSLContext context) {
        this.config = config;
        this.context = context;
        this.root = config.stateDir().resolve("sdcard").toAbsolutePath().normalize();
    }

    void start() throws IOException {
        Files.createDirectories(root.resolve("cache"));
        listener = Listener.start(
                new Listener.Spec(
                        "sim-ftp",
                        "printer.ports.ftp",
                        config.bind(),
                        config.ports().ftp(),
                        16,
                        () -> {}),
                () -> TlsPolicy.newServerSocket(context, TlsPolicy.ClientSuites.WITH_PLAIN_RSA),
                this::serve);
    }

    public int port() {
        return listener.port();
    }

    /** The directory the printer serves (its SD card). */
    public Path root() {
        return root;
    }

    /** Sessions that logged in so far. */
    public int logins() {
        return logins.get();
    }

    /** Sessions logged in now. */
    public int activeSessions() {
        return sessions.get();
    }

    /** Transfers over a clear data connection ({@code PROT C}). */
    public int clearTransfers() {
        return clearTransfers.get();
    }

    /** Data connections refused because they did not resume the control connection's TLS session. */
    public int reuseRefusals() {
        return reuseRefusals.get();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        dataConnections.forEach(Sockets::abort);
    }

    private void serve(Socket raw) throws IOException {
        new Session((SSLSocket) raw).run();
    }

    /** One control connection. */
    private final class Session {
        private final SSLSocket control;
        private final String peer;
        private OutputStream out;
        private boolean loggedIn;
        private boolean privateData = true;
        private String user = "";
        private Path cwd = root;
        private Path renameFrom;
        private ServerSocket passive;

        Session(SSLSocket control) {
            this.control = control;
            this.peer = Peers.describe(control);
        }

        void run() throws IOException {
            try (Deadline deadline = Deadline.abortAfter(Duration.ofSeconds(10), control)) {
                control.startHandshake();
            }
            out = control.getOutputStream();
            FtpLineReader lines = new FtpLineReader(new BufferedInputStream(control.getInputStream()), 4096);
            reply(220, "Simulated Bambu printer FTP ready");
            try {
                while (true) {
                    FtpCommand command;
                    try {
                        command = FtpCodec.parseCommand(lines.readLine());
                    } catch (FtpProtocolException e) {
                        reply(500, "Unknown command.");
                        continue;
                    }
                    if (!handle(command)) {
                        return;
                    }
                }
            } finally {
                if (loggedIn) {
                    sessions.decrementAndGet();
                }
                closePassive();
            }
        }

        private boolean handle(FtpCommand command) throws IOException {
            String arg = command.argument();
            if (!loggedIn
                    && !List.of("USER", "PASS", "QUIT", "PBSZ", "PROT", "FEAT", "SYST")
                            .contains(command.verb())) {
                reply(530, "Please login with USER and PASS.");
                return true;
            }
            switch (command.verb()) {
                case "USER" -> {
                    user = arg;
                    reply(331, "Please specify the password.");
                }
                case "PASS" -> {
                    if (!user.equals("bblp") || !config.accessCode().matches(arg)) {
                        reply(530, "Login incorrect.");
                        return true;
                    }
                    if (sessions.incrementAndGet() > MAX_SESSIONS) {
                        sessions.decrementAndGet();
                        reply(421, "There are too many connected users, please try later.");
                        return false;
                    }
                    loggedIn = true;
                    logins.incrementAndGet();
                    reply(230, "Login successful.");
                }
                case "QUIT" -> {
                    if (loggedIn) {
                        loggedIn = false;
                        sessions.decrementAndGet();
                    }
                    reply(221, "Goodbye.");
                    return false;
                }
                case "PBSZ" -> reply(200, "PBSZ set to 0.");
                case "PROT" -> {
                    privateData = !arg.equalsIgnoreCase("C");
                    reply(200, "PROT now " + (privateData ? "Private." : "Clear."));
                }
                case "SYST" -> reply(215, "UNIX Type: L8");
                case "FEAT" ->
                    reply(new FtpReply(
                            211,
                            List.of(
                                    "Features:",
                                    " EPRT",
                                    " EPSV",
                                    " MDTM",
                                    " PASV",
                                    " PBSZ",
                                    " PROT",
                                    " REST STREAM",
                                    " SIZE",
                                    " TVFS",
                                    " UTF8",
                                    "End")));
                case "TYPE", "MODE", "STRU", "OPTS" -> reply(200, command.verb() + " ok.");
                case "NOOP" -> reply(200, "NOOP ok.");
                case "PWD", "XPWD" -> reply(257, "\"" + display(cwd) + "\" is the current directory");
                case "CWD" -> changeDirectory(resolve(arg));
                case "CDUP" -> changeDirectory(cwd.equals(root) ? root : cwd.getParent());
                case "MKD" -> fileOperation(() -> Files.createDirectory(resolve(arg)), 257, "\"" + arg + "\" created");
                case "RMD" ->
                    fileOperation(() -> Files.delete(resolve(arg)), 250, "Remove directory operation successful.");
                case "DELE" -> fileOperation(() -> Files.delete(resolve(arg)), 250, "Delete operation successful.");
                case "RNFR" -> {
                    renameFrom = resolve(arg);
                    reply(
                            Files.exists(renameFrom) ? 350 : 550,
                            Files.exists(renameFrom) ? "Ready for RNTO." : "RNFR command failed.");
                }
                case "RNTO" ->
                    fileOperation(
                            () -> Files.move(renameFrom, resolve(arg), StandardCopyOption.REPLACE_EXISTING),
                            250,
                            "Rename successful.");
                case "SIZE" -> {
                    Path file = resolve(arg);
                    reply(
                            Files.isRegularFile(file) ? 213 : 550,
                            Files.isRegularFile(file) ? String.valueOf(Files.size(file)) : "Could not get file size.");
                }
                case "MDTM" -> {
                    Path file = resolve(arg);
                    reply(
                            Files.isRegularFile(file) ? 213 : 550,
                            Files.isRegularFile(file)
                                    ? MDTM.format(
                                            Files.getLastModifiedTime(file).toInstant())
                                    : "Could not get file modification time.");
                }
                case "PASV", "EPSV" -> {
                    closePassive();
                    passive = new ServerSocket();
                    passive.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), 0), 1);
                    // like the printers: a PASV reply that names 0.0.0.0
                    reply(
                            command.verb().equals("PASV")
                                    ? FtpCodec.passiveReply(
                                            InetAddress.getByAddress(new byte[4]), passive.getLocalPort())
                                    : FtpCodec.extendedPassiveReply(passive.getLocalPort()));
                }
                case "LIST", "NLST", "RETR", "STOR", "APPE" -> transfer(command);
                default -> reply(502, "Command not implemented.");
            }
            return true;
        }

        private void transfer(FtpCommand command) throws IOException {
            if (passive == null) {
                reply(425, "Use PORT or PASV first.");
                return;
            }
            Path file = resolve(command.argument().startsWith("-") ? "" : command.argument());
            boolean upload = command.verb().equals("STOR") || command.verb().equals("APPE");
            if (command.verb().equals("RETR") && !Files.isRegularFile(file)) {
                closePassive();
                reply(550, "Failed to open file.");
                return;
            }
            reply(150, upload ? "Ok to send data." : "Here comes the data.");
            Socket data;
            try {
                data = openData();
            } catch (IOException e) {
                reply(
                        e.getMessage().startsWith("522") ? 522 : 425,
                        e.getMessage().startsWith("522")
                                ? e.getMessage().substring(4)
                                : "Failed to establish connection.");
                return;
            } finally {
                closePassive();
            }
            dataConnections.add(data);
            try (data) {
                if (upload) {
                    receive(data, file, command.verb().equals("APPE"));
                } else {
                    try (OutputStream dataOut = data.getOutputStream()) {
                        if (command.verb().equals("RETR")) {
                            Files.copy(file, dataOut);
                        } else {
                            dataOut.write(listing(file, command.verb().equals("NLST")));
                        }
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.INFO, "sim-ftp: {0}: {1} failed: {2}", peer, command, e.getMessage());
                reply(426, "Failure " + (upload ? "reading" : "writing") + " network stream.");
                return;
            } finally {
                dataConnections.remove(data);
            }
            reply(226, "Transfer complete.");
        }

        /** Stores an upload, reading to EOF (with or without close_notify, as vsftpd at TLS 1.2 does). */
        private void receive(Socket data, Path file, boolean append) throws IOException {
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            try (InputStream in = data.getInputStream();
                    OutputStream stored = Files.newOutputStream(
                            partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                if (append && Files.exists(file)) {
                    Files.copy(file, stored);
                }
                in.transferTo(stored);
            } catch (IOException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        /** The client's data connection: TLS (which must resume this control session, by id or ticket) or clear. */
        private Socket openData() throws IOException {
            passive.setSoTimeout((int) DATA_TIMEOUT.toMillis());
            Socket socket = passive.accept();
            socket.setSoTimeout((int) DATA_TIMEOUT.toMillis());
            if (!privateData) {
                clearTransfers.incrementAndGet();
                return socket;
            }
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            tls.setUseClientMode(false);
            TlsPolicy.configureServer(tls, TlsPolicy.ClientSuites.WITH_PLAIN_RSA);
            tls.startHandshake();
            if (!SessionReuse.resumes(tls.getSession(), control.getSession())) {
                reuseRefusals.incrementAndGet();
                Sockets.abort(tls);
                throw new IOException("522 SSL connection failed: session reuse required");
            }
            return tls;
        }

        private byte[] listing(Path dir, boolean namesOnly) throws IOException {
            StringBuilder text = new StringBuilder();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(Files.isDirectory(dir) ? dir : cwd)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().endsWith(".part")) {
                        continue;
                    }
                    if (namesOnly) {
                        text.append(entry.getFileName()).append("\r\n");
                    } else {
                        text.append(String.format(
                                "%srw-r--r--    1 0        0        %10d Jan 01 00:00 %s\r\n",
                                Files.isDirectory(entry) ? "d" : "-",
                                Files.isDirectory(entry) ? 0 : Files.size(entry),
                                entry.getFileName()));
                    }
                }
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        private void changeDirectory(Path target) throws IOException {
            if (Files.isDirectory(target)) {
                cwd = target;
                reply(250, "Directory successfully changed.");
            } else {
                reply(550, "Failed to change directory.");
            }
        }

        private void fileOperation(FileAction action, int code, String text) throws IOException {
            try {
                action.run();
                reply(code, text);
            } catch (IOException | RuntimeException e) {
                reply(550, "Operation failed.");
            }
        }

        /** A client path inside the served directory; anything escaping it maps to the root. */
        private Path resolve(String path) {
            Path base = path.startsWith("/") ? root : cwd;
            Path resolved = base.resolve(path.replaceFirst("^/+", "")).normalize();
            return resolved.startsWith(root) ? resolved : root;
        }

        private String display(Path dir) {
            String relative = root.relativize(dir).toString().replace('\\', '/');
            return "/" + relative;
        }

        private void closePassive() {
            if (passive != null) {
                try {
                    passive.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                passive = null;
            }
        }

        private void reply(int code, String text) throws IOException {
            reply(new FtpReply(code, text));
        }

        private void reply(FtpReply reply) throws IOException {
            out.write(FtpCodec.format(reply));
            out.flush();
        }
    }

    @FunctionalInterface
    private interface FileAction {
        void run() throws IOException;
    }
}
