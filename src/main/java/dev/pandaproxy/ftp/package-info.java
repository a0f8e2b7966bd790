/**
 * FTPS (port 990): a TLS-terminating FTP proxy. Clients log in locally; the proxy holds a few printer sessions, answers
 * passive mode with its own listener, relays each transfer over TLS on both legs (the printer's leg resuming the
 * control session) and reports success only when the printer confirmed it. ({@code ftp.mode: passthrough} instead
 * relays port 990 and the printer's passive ports as raw TCP through {@link dev.pandaproxy.net.Relay}: end-to-end TLS,
 * one printer session per client, nothing checked.)
 *
 * <h2>Control sessions</h2>
 *
 * <p>Each control connection is a {@link dev.pandaproxy.ftp.FtpClientSession} on the listener's thread, which handles
 * events one at a time, in order: a command line, the end of the client's input, a transfer's result. A second thread
 * reads command lines into a queue of 16 events and waits for room when it is full, so a client that sends commands
 * without reading the replies is held back by TCP, and cut off once a reply cannot be written within
 * {@code ftp.write-timeout} (a deadline on each reply). A transfer runs on a thread of its own, so the session still
 * takes {@code ABOR} meanwhile (any other command then gets {@code 503}). Lines are capped at {@code ftp.max-line}
 * bytes; an argument with a control character gets {@code 501} and never reaches the printer.
 *
 * <h2>Local login and the printer sessions</h2>
 *
 * <p>The proxy answers {@code USER} and {@code PASS} itself: {@code bblp} and the access code, compared in constant
 * time through the failed-login throttle shared with the other services; three wrong passwords on one connection close
 * it. Before login only {@code USER PASS QUIT FEAT SYST AUTH PBSZ PROT} are answered, anything else gets {@code 530},
 * and a client not logged in within {@code ftp.login-timeout} is closed with {@code 421}. A wrong or missing login
 * therefore never costs one of the printer's few FTP sessions.
 *
 * <p>Only a client that logged in takes one of {@code ftp.printer-sessions} printer sessions: a fair semaphore, so
 * clients get them in the order they asked, each waiting at most {@code ftp.queue-timeout} before a clear {@code 421}.
 * The {@link dev.pandaproxy.ftp.PrinterFtp} session (implicit TLS, {@code bblp}, {@code PBSZ 0}, {@code PROT P} or,
 * with {@code ftp.printer-data: clear}, {@code PROT C}) is opened for that client and closed with {@code QUIT} when its
 * control connection ends; it is not handed to another client, because it carries this one's state ({@code CWD},
 * {@code TYPE}, {@code REST} are relayed to it). Relayed commands wait for the printer's reply with a read timeout of
 * {@code ftp.data-timeout}; a printer that fails to answer ends the client's session.
 *
 * <h2>Passive mode and who may connect</h2>
 *
 * <p>{@code PASV} and {@code EPSV} are answered by the proxy with a {@link dev.pandaproxy.ftp.PassiveListener} on a
 * free port of {@code ftp.passive-ports} (any free port without a range), announced at {@code proxy.advertise-address}
 * or the address the client reached ({@code PASV} needs IPv4; {@code EPSV} names only the port). Active mode gets
 * {@code 502}, {@code PROT} other than {@code P} gets {@code 536}. A new passive command replaces the previous
 * listener; a transfer takes it over and closes it when done.
 *
 * <p>A data connection belongs to the session that asked for it. One from any other address is aborted, logged, and the
 * listener goes on waiting; with {@code ftp.require-session-reuse} (the default) the data connection's TLS must also
 * resume the control connection's session, because another program at the client's address (the same host, a NAT, a
 * Docker bridge) could otherwise take the transfer without having logged in. {@link dev.pandaproxy.tls.SessionReuse}
 * decides: a resumption by session id keeps the id; a resumption by ticket (RFC 5077) gets whatever id the client sent
 * (OpenSSL-based clients send a fresh random one), but the JDK restores the ticket's session with the original creation
 * time and the peer host and port of the control connection, which no full handshake can produce while that connection
 * is open. Toward the printer the roles turn: the printer (vsftpd with {@code require_ssl_reuse}) demands that the
 * proxy's data connection resume the control session, so the proxy connects to the control connection's peer address
 * (printers announce 0.0.0.0) at the passive port the printer named, with an {@link dev.pandaproxy.tls.EngineTlsStream}
 * keyed by the printer's host and FTP port, under which the JDK keeps the control connection's session.
 *
 * <h2>Transfer integrity</h2>
 *
 * <p>The printer gets the command and its data connection first; a refusal is relayed as it is. The client sees the
 * printer's preliminary reply ({@code 150}), then has {@code ftp.data-timeout} to connect. The client gets the
 * printer's final reply, and so {@code 226} only after every byte was relayed, both data connections were closed
 * cleanly, and the printer itself answered {@code 226}. A clean close is what vsftpd, and so the printer, does:
 * {@code close_notify}, then FIN, then the reply on the control connection; after an upload the proxy closes the
 * client's data connection the same way, because clients that end with {@code close_notify} and then wait for the
 * server's close would take a reset for a failure. A client that ends an upload without {@code close_notify} has simply
 * ended the data, as the printer treats it at TLS 1.2. If either data connection fails midway, or the client sends
 * {@code ABOR}, both are aborted (TCP reset, no {@code close_notify}), so neither peer can take a truncated file for a
 * complete one, and the client gets {@code 426} after the printer's reply was read ({@code ABOR} is then answered
 * {@code 226}). A printer that gives no reply after a transfer, or cannot start one, ends the session.
 *
 * <p>Reads on both data connections time out after {@code ftp.data-timeout}, which fails the transfer. Writes on them
 * have no deadline: a peer that stops reading holds its transfer (and the TCP window holds the other side) until the
 * client sends {@code ABOR}, its control connection ends, or the peer closes. {@code ftp.idle-timeout} counts only
 * while no transfer runs.
 */
package dev.pandaproxy.ftp;
