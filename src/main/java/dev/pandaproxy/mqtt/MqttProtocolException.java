package dev.pandaproxy.mqtt;

import java.io.IOException;

/** Bytes that break MQTT 3.1.1: the connection that sent them is closed. */
public class MqttProtocolException extends IOException {
    public MqttProtocolException(String message) {
        super(message);
    }
}
