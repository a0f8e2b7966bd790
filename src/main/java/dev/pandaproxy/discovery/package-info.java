/**
 * What slicers need before they talk MQTT and FTP: the printer's SSDP-style announcements on UDP 2021,
 * re-announced with the proxy's address, and the detect handshake on TCP 3000 (plain) and 3002 (TLS).
 */
package dev.pandaproxy.discovery;
