/**
 * FTPS (port 990): a TLS-terminating FTP proxy. Clients log in locally; the proxy holds a few printer
 * sessions, answers passive mode with its own listener, relays each transfer over TLS on both legs (the
 * printer's leg resuming the control session) and reports success only when the printer confirmed it.
 */
package dev.pandaproxy.ftp;
