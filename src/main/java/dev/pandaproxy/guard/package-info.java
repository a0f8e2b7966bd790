/** Defences shared by every service against hostile clients: the failed-login throttle. */
package dev.pandaproxy.guard;
