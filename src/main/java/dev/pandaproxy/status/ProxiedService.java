package dev.pandaproxy.status;

/** A printer service the proxy runs: started by its constructor's owner, reported on, closed at shutdown. */
public interface ProxiedService extends AutoCloseable {
    /** Service name, as in {@code --services}. */
    String name();

    /** Binds its listener(s) and starts its printer connection loop. */
    void start();

    ServiceStatus status();

    @Override
    void close();
}
