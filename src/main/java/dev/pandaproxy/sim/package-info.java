/**
 * A simulated BambuLab printer: the same ports, TLS, credentials and one-connection habits as the real
 * thing, so the demo runs without a printer and the tests have a real peer.
 */
package dev.pandaproxy.sim;
