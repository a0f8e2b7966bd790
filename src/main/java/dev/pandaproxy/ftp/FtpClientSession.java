package dev.pandaproxy.ftp;

import dev.pandaproxy.config.FtpConfig;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.net.Deadline;
import dev.pandaproxy.net.Peers;
import dev.pandaproxy.net.Sockets;
import dev.pandaproxy.tls.EngineTlsStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * One FTPS client. Commands are read on one thread and queued as events; the session handles events in
 * order, so a transfer can run on its own thread while the client may still send {@code ABOR}. The queue
 * is short and the reader waits for room, so a client that sends commands without reading the replies is
 * held back by TCP, and then cut off when a reply cannot be written within {@code ftp.write-timeout}.
 *
 * <p>A transfer's success is the printer's: the client gets {@code 226} only after every byte was
 * relayed, the data connections were closed cleanly and the printer itself answered {@code 226}.
 * Anything that breaks on the way is an error reply, never a success.
 */
final class FtpClientSession {
    private static final System.Logger LOG = System.getLogger(FtpClientSession.class.getName());
    private static final String SERVICE = "ftp";
    /** Commands passed to the printer as they are. */
    private static final Set<String> RELAYED = Set.of(
            "OPTS", "PWD", "XPWD", "CWD", "CDUP", "TYPE", "SIZE", "MDTM", "DELE", "MKD", "XMKD", "RMD", "XRMD", "RNFR",
            "RNTO", "NOOP", "REST", "STAT", "HELP", "MODE", "STRU");

    private static final Set<String> DOWNLOADS = Set.of("RETR", "LIST", "NLST", "MLSD");
    private static final Set<String> UPLOADS = Set.of("STOR", "APPE");
    /** Commands answered before login; every other one gets {@code 530}, as vsftpd answers it. */
    private static final Set<String> BEFORE_LOGIN =
            Set.of("USER", "PASS", "QUIT", "FEAT", "SYST", "AUTH", "PBSZ", "PROT");

    private static final int MAX_LOGIN_FAILURES = 3;
    /** Commands read ahead of the session at most (clients pipeline a few, e.g. TYPE, PASV and STOR). */
    private static final int QUEUED_EVENTS = 16;

    private final FtpService service;
    private final FtpConfig config;
    private final SSLSocket socket;
    private final String peer;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(QUEUED_EVENTS);
    private final ReentrantLock replyLock = new ReentrantLock();
    private OutputStream out;
    private String user;
    private int loginFailures;
    private PrinterFtp printer;
    private PassiveListener passive;
    private Transfer transfer;

    /** What the session reacts to, in order. */
    private sealed interface Event {
        record Line(String text) implements Event {}

        record Closed(IOException cause) implements Event {}

        record TransferDone(FtpReply reply, boolean printerLost, boolean aborted) implements Event {}
    }

    FtpClientSession(FtpService service, FtpConfig config, SSLSocket socket) {
        this.service = service;
        this.config = config;
        this.socket = socket;
        this.peer = Peers.describe(socket);
    }

    void run() throws IOException {
        long loginDeadline = System.nanoTime() + config.loginTimeout().toNanos();
        try (Deadline deadline = Deadline.abortAfter(config.loginTimeout(), socket)) {
            socket.startHandshake();
        }
        out = socket.getOutputStream();
        Thread reader =
                Thread.ofVirtual().name(SERVICE + "-" + peer + "-commands").start(this::readCommands);
        try {
            reply(
                    220,
                    "PandaProxy FTPS for printer " + service.context().printer().serial() + " ready");
            serve(loginDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reader.interrupt();
            if (transfer != null) {
                transfer.abort();
            }
            if (passive != null) {
                passive.close();
            }
            if (printer != null) {
                printer.close();
                service.releasePrinterSession();
                service.stats().clientDisconnected(peer);
            }
        }
    }

    private void serve(long loginDeadline) throws IOException, InterruptedException {
        while (true) {
            long wait = printer == null
                    ? Math.min(config.idleTimeout().toNanos(), loginDeadline - System.nanoTime())
                    : config.idleTimeout().toNanos();
            Event event = transfer == null ? events.poll(wait, TimeUnit.NANOSECONDS) : events.take();
            switch (event) {
                case null -> {
                    if (printer == null && System.nanoTime() - loginDeadline >= 0) {
                        LOG.log(
                                Level.INFO,
                                "{0}: {1} closed: not logged in within {2} s (ftp.login-timeout)",
                                SERVICE,
                                peer,
                                config.loginTimeout().toSeconds());
                        reply(
                                421,
                                "Not logged in within " + config.loginTimeout().toSeconds()
                                        + " s, closing (ftp.login-timeout)");
                    } else {
                        reply(421, "Idle for " + config.idleTimeout().toSeconds() + " s, closing (ftp.idle-timeout)");
                    }
                    return;
                }
                case Event.Closed closed -> {
                    if (closed.cause() instanceof FtpProtocolException tooLong) {
                        reply(500, "Command line too long (ftp.max-line), closing");
                        LOG.log(Level.INFO, "{0}: {1} closed: {2}", SERVICE, peer, tooLong.getMessage());
                    }
                    return;
                }
                case Event.TransferDone done -> {
                    transfer = null;
                    reply(done.reply());
                    if (done.aborted()) {
                        reply(226, "ABOR successful");
                    }
                    if (done.printerLost()) {
                        return;
                    }
                }
                case Event.Line line -> {
                    if (!handle(line.text())) {
                        return;
                    }
                }
            }
        }
    }

    /** Handles one command line; returns false when the session ends. */
    private boolean handle(String line) throws IOException, InterruptedException {
        FtpCommand command;
        try {
            command = FtpCodec.parseCommand(line);
        } catch (FtpCodec.FtpArgumentException e) {
            reply(501, "Syntax error in parameters or arguments: control characters are not allowed");
            return true;
        } catch (FtpProtocolException e) {
            reply(500, "Syntax error, command unrecognized");
            return true;
        }
        LOG.log(Level.DEBUG, "{0}: {1}: {2}", SERVICE, peer, command);
        if (transfer != null) {
            if (command.verb().equals("ABOR")) {
                transfer.abort();
            } else {
                reply(503, "A transfer is in progress; send ABOR to stop it");
            }
            return true;
        }
        if (printer == null && !BEFORE_LOGIN.contains(command.verb())) {
            reply(530, "Please log in with USER and PASS");
            return true;
        }
        String verb = command.verb();
        switch (verb) {
            case "USER" -> {
                user = command.argument();
                reply(331, "Password required");
            }
            case "PASS" -> {
                return login(command.argument());
            }
            case "QUIT" -> {
                reply(221, "Goodbye");
                return false;
            }
            case "AUTH" -> reply(503, "Already using TLS (implicit FTPS)");
            case "SYST" -> reply(215, "UNIX Type: L8");
            // answered here, before and after login alike: what this proxy supports (no active mode)
            case "FEAT" ->
                reply(new FtpReply(
                        211,
                        List.of(
                                "Features:",
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
            case "PBSZ" -> reply(200, "PBSZ=0");
            case "PROT" -> {
                if (command.argument().equalsIgnoreCase("P")) {
                    reply(200, "Protection level set to Private");
                } else {
                    reply(536, "Only PROT P (encrypted data connections) is supported");
                }
            }
            case "PASV", "EPSV" -> openPassive(verb, command.argument());
            case "PORT", "EPRT" -> reply(502, "Active mode is not supported; use passive mode (PASV or EPSV)");
            case "ABOR" -> reply(226, "No transfer to abort");
            default -> {
                if (DOWNLOADS.contains(verb) || UPLOADS.contains(verb)) {
                    startTransfer(command, UPLOADS.contains(verb));
                } else if (RELAYED.contains(verb)) {
                    return relay(command);
                } else {
                    reply(502, "Command not implemented");
                }
            }
        }
        return true;
    }

    /** Checks the credentials locally, then waits for one of the printer's few FTP sessions. */
    private boolean login(String password) throws IOException, InterruptedException {
        LoginThrottle.Verdict verdict = service.context()
                .throttle()
                .check(
                        socket.getInetAddress(),
                        SERVICE,
                        () -> "bblp".equals(user)
                                & service.context().printer().accessCode().matches(password));
        if (verdict instanceof LoginThrottle.Verdict.Throttled throttled) {
            service.stats().loginThrottled();
            reply(
                    421,
                    "Too many failed logins from your address; try again in " + throttled.retryAfterSeconds() + " s");
            return false;
        }
        if (verdict instanceof LoginThrottle.Verdict.Rejected) {
            service.stats().authFailed();
            loginFailures++;
            LOG.log(Level.WARNING, "{0}: {1} rejected: wrong user name or access code", SERVICE, peer);
            reply(530, "Login incorrect");
            return loginFailures < MAX_LOGIN_FAILURES;
        }
        if (!service.acquirePrinterSession()) {
            LOG.log(
                    Level.WARNING,
                    "{0}: {1} turned away: all {2} printer FTP sessions stayed busy for {3} s",
                    SERVICE,
                    peer,
                    config.printerSessions(),
                    config.queueTimeout().toSeconds());
            reply(421, "All " + config.printerSessions() + " printer FTP sessions are in use; try again later");
            return false;
        }
        try {
            printer = service.connectToPrinter();
        } catch (IOException e) {
            service.releasePrinterSession();
            LOG.log(Level.WARNING, "{0}: {1}: printer FTP login failed: {2}", SERVICE, peer, e.getMessage());
            reply(421, "Cannot reach the printer's FTP server: " + e.getMessage());
            return false;
        }
        int clients = service.stats().clientConnected(peer, Optional.empty());
        LOG.log(Level.INFO, "{0}: {1} logged in ({2} clients)", SERVICE, peer, clients);
        reply(230, "Logged in");
        return true;
    }

    private boolean relay(FtpCommand command) throws IOException {
        FtpReply answer;
        try {
            answer = printer.send(command.line());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: {1}: printer connection lost: {2}", SERVICE, peer, e.getMessage());
            reply(421, "The printer's FTP connection was lost");
            return false;
        }
        reply(answer);
        return true;
    }

    private void openPassive(String verb, String argument) throws IOException {
        if (verb.equals("EPSV") && argument.equalsIgnoreCase("ALL")) {
            reply(200, "EPSV ALL ok");
            return;
        }
        if (passive != null) {
            passive.close();
        }
        passive = PassiveListener.open(
                service.context().bindAddress(),
                config.passivePorts(),
                service.context().toClients());
        if (verb.equals("EPSV")) {
            reply(FtpCodec.extendedPassiveReply(passive.port()));
            return;
        }
        InetAddress announced = advertisedAddress();
        if (!(announced instanceof Inet4Address)) {
            reply(425, "PASV needs an IPv4 address; use EPSV");
            return;
        }
        reply(FtpCodec.passiveReply(announced, passive.port()));
    }

    /** The address clients should connect to: configured, or the one this client reached us on. */
    private InetAddress advertisedAddress() throws UnknownHostException {
        Optional<String> configured = service.context().advertiseAddress();
        return configured.isPresent() ? InetAddress.getByName(configured.get()) : socket.getLocalAddress();
    }

    private void startTransfer(FtpCommand command, boolean upload) throws IOException {
        if (passive == null) {
            reply(425, "Use PASV or EPSV first");
            return;
        }
        PassiveListener listener = passive;
        passive = null;
        transfer = new Transfer(command, upload, listener);
        Thread.ofVirtual().name(SERVICE + "-" + peer + "-transfer").start(transfer::run);
    }

    /** One data transfer: printer and client data connections, the copy, and the printer's verdict. */
    private final class Transfer {
        private final FtpCommand command;
        private final boolean upload;
        private final PassiveListener listener;
        private volatile PrinterFtp.DataStream printerData;
        private volatile EngineTlsStream clientData;
        private volatile boolean aborted;

        Transfer(FtpCommand command, boolean upload, PassiveListener listener) {
            this.command = command;
            this.upload = upload;
            this.listener = listener;
        }

        void run() {
            try {
                events.put(execute());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the session ended meanwhile
            }
        }

        /** Stops the transfer (ABOR, or the session ends): nothing is reported as complete. */
        void abort() {
            aborted = true;
            PrinterFtp.DataStream data = printerData;
            if (data != null) {
                data.abort();
            }
            EngineTlsStream client = clientData;
            if (client != null) {
                client.abort();
            }
            listener.close();
        }

        private Event.TransferDone execute() {
            long bytes = 0;
            String failure = null;
            try (listener) {
                Socket printerSocket;
                FtpReply start;
                try {
                    printerSocket = printer.openDataConnection();
                    start = printer.send(command.line());
                } catch (IOException e) {
                    return lost("cannot start the transfer with the printer: " + e.getMessage());
                }
                if (!start.preliminary()) {
                    Sockets.abort(printerSocket);
                    return new Event.TransferDone(start, false, false);
                }
                try {
                    printerData = printer.secure(printerSocket);
                } catch (IOException e) {
                    Sockets.abort(printerSocket);
                    return verdict(
                            new FtpReply(425, "Cannot open the printer's data connection: " + e.getMessage()), 0);
                }
                reply(start);
                try {
                    clientData = listener.accept(socket, config.requireSessionReuse(), config.dataTimeout());
                } catch (IOException e) {
                    printerData.abort();
                    return verdict(new FtpReply(425, "Cannot open the data connection: " + e.getMessage()), 0);
                }
                try {
                    bytes = upload ? copyUpload() : copyDownload();
                } catch (DataFailure e) {
                    failure = e.getMessage();
                }
            } catch (IOException e) {
                failure = "transfer failed: " + e.getMessage();
            }
            if (failure != null || aborted) {
                return verdict(
                        new FtpReply(426, "Connection closed; transfer aborted (" + (aborted ? "ABOR" : failure) + ")"),
                        bytes);
            }
            return verdict(null, bytes);
        }

        /**
         * Client to printer; the printer's data connection is closed cleanly only when the client's ended well.
         * The client's is then closed cleanly too (close_notify, FIN), as vsftpd and the printer close it: clients
         * that end with close_notify and wait for the server's close take a reset for a failed upload.
         */
        private long copyUpload() throws IOException {
            long bytes;
            try {
                bytes = copy(
                        clientData.inputStream(),
                        printerData.output(),
                        printerData::abort,
                        "the client",
                        "the printer");
                printerData.finish();
            } catch (DataFailure e) {
                printerData.abort(); // no close_notify: the printer must not store a truncated file as complete
                clientData.abort();
                throw e;
            }
            try {
                clientData.close();
            } catch (IOException e) {
                // every byte was read: a client that already went away (pybambu closes without close_notify) lost
                // nothing
                LOG.log(
                        Level.DEBUG,
                        "{0}: {1}: data connection closed by the client first: {2}",
                        SERVICE,
                        peer,
                        e.getMessage());
            }
            return bytes;
        }

        /** Printer to client; the client's data connection is closed cleanly once every byte was written. */
        private long copyDownload() throws IOException {
            long bytes;
            try {
                bytes = copy(
                        printerData.input(), clientData.outputStream(), clientData::abort, "the printer", "the client");
                clientData.close(); // sends close_notify after the last byte
            } catch (DataFailure e) {
                clientData.abort(); // no close_notify: the client must not take a truncated file as complete
                printerData.abort();
                throw e;
            }
            printerData.close();
            return bytes;
        }

        /**
         * Copies until EOF; a failure on either side becomes a {@link DataFailure} naming it. Reads time out on the
         * socket; each write has a deadline of its own, as a sink that stops reading (a client that never reads its
         * download, a printer that stalls an upload) would otherwise hold the transfer and its printer session.
         */
        private long copy(InputStream from, OutputStream to, Runnable abortSink, String source, String sink)
                throws DataFailure {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            // set by whichever write's deadline fired: the write that fails can be the next one
            AtomicBoolean stalled = new AtomicBoolean();
            Runnable cutOff = () -> {
                stalled.set(true);
                abortSink.run();
            };
            while (true) {
                int n;
                try {
                    n = from.read(buffer);
                } catch (IOException e) {
                    throw new DataFailure(source + "'s data connection failed: " + e.getMessage());
                }
                if (n < 0) {
                    return total;
                }
                try (Deadline deadline = Deadline.after(config.dataTimeout(), cutOff)) {
                    to.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new DataFailure(
                            stalled.get()
                                    ? sink + " took no data for "
                                            + config.dataTimeout().toSeconds() + " s (ftp.data-timeout)"
                                    : sink + "'s data connection failed: " + e.getMessage());
                }
                total += n;
            }
        }

        /**
         * The printer's final reply decides: relayed as it is when the copy went well, an error otherwise
         * ({@code replacement}). A printer that does not answer ends the session.
         */
        private Event.TransferDone verdict(FtpReply replacement, long bytes) {
            FtpReply printerSays;
            try {
                printerSays = printer.readReply();
            } catch (IOException e) {
                return lost("no answer from the printer after the transfer: " + e.getMessage());
            }
            FtpReply result = replacement != null ? replacement : printerSays;
            service.stats().relayed(bytes);
            LOG.log(
                    result.success() ? Level.INFO : Level.WARNING,
                    "{0}: {1}: {2}: {3} bytes, printer said {4}, client told {5}",
                    SERVICE,
                    peer,
                    command,
                    String.valueOf(bytes),
                    printerSays.code(),
                    result.code());
            return new Event.TransferDone(result, false, aborted);
        }

        private Event.TransferDone lost(String why) {
            LOG.log(Level.WARNING, "{0}: {1}: {2}: {3}", SERVICE, peer, command, why);
            printer.abort();
            return new Event.TransferDone(new FtpReply(426, "Transfer failed: " + why), true, aborted);
        }
    }

    /** A data connection broke during a copy. */
    private static final class DataFailure extends IOException {
        DataFailure(String message) {
            super(message);
        }
    }

    private void readCommands() {
        Event end;
        try {
            socket.setSoTimeout(0); // idleness is judged by the session, which knows about running transfers
            FtpLineReader lines =
                    new FtpLineReader(new BufferedInputStream(socket.getInputStream()), config.maxLineBytes());
            while (true) {
                events.put(new Event.Line(lines.readLine())); // waits while the session is behind
            }
        } catch (EOFException e) {
            end = new Event.Closed(null);
        } catch (IOException e) {
            end = new Event.Closed(e);
        } catch (InterruptedException e) {
            return; // the session ended
        }
        try {
            events.put(end);
        } catch (InterruptedException e) {
            // the session ended
        }
    }

    private void reply(int code, String text) throws IOException {
        reply(new FtpReply(code, text));
    }

    private void reply(FtpReply reply) throws IOException {
        // the session and a running transfer both reply; a lock, not synchronized, so no carrier is pinned
        replyLock.lock();
        try (Deadline deadline = Deadline.abortAfter(config.writeTimeout(), socket)) {
            out.write(FtpCodec.format(reply));
            out.flush();
        } finally {
            replyLock.unlock();
        }
    }
}
