/**
 * The HTTP side (Helidon SE WebServer): health, Prometheus metrics, {@code /status}, the proxy CA, and the
 * camera as a JPEG snapshot and an MJPEG stream.
 */
package dev.pandaproxy.http;
