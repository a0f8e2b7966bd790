/**
 * JSON for the proxy's own commands (the printer's reports, clients' requests, {@code /status}, the page), over
 * Helidon's JSON values. Parsing is bounded in depth; writing maps the status records by their components.
 */
package dev.pandaproxy.json;
