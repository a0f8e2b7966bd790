/**
 * MQTT (port 8883): one printer session, a small broker for any number of clients with the printer's
 * credentials and topics, the merged report state and {@code pushall} answered from it.
 */
package dev.pandaproxy.mqtt;
