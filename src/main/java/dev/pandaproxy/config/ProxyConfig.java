package dev.pandaproxy.config;

/** Everything {@code pandaproxy proxy} needs, validated. Load it with {@link ConfigLoader}. */
public record ProxyConfig(
        PrinterConfig printer,
        ListenConfig proxy,
        CameraConfig camera,
        MqttConfig mqtt,
        FtpConfig ftp,
        SlicerConfig slicer,
        HttpConfig http,
        LoginThrottleConfig loginThrottle,
        RelayConfig relay) {}
