/**
 * The chamber camera of A1/P1 printers (port 6000): a TLS stream of 16-byte headers and JPEG images after
 * an 80-byte login. One printer connection, any number of viewers.
 */
package dev.pandaproxy.chamber;
