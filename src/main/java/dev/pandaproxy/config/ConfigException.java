package dev.pandaproxy.config;

/**
 * Bad configuration: the message is one line that names the option or key and says what to do.
 * The command line prints it without a stack trace and exits with code 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
