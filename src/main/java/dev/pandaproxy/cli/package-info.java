/** The {@code pandaproxy} command line: one entry point, one sub-command per mode. */
package dev.pandaproxy.cli;
