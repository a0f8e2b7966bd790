package dev.pandaproxy.status;

/** The printer-side connection of a service. */
public enum UpstreamState {
    /** Not connected because nobody needs it (on-demand services). */
    IDLE,
    /** Connecting and logging in. */
    CONNECTING,
    /** Connected and relaying. */
    CONNECTED,
    /** Waiting before the next attempt after a failure. */
    BACKOFF,
    /** Shut down. */
    STOPPED
}
