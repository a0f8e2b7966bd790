package dev.pandaproxy.mqtt;

import dev.pandaproxy.mqtt.MqttPacket.Publish;

/** What a client connection's writer sends, in order. */
sealed interface Outbound {
    /**
     * A message for the clients subscribed to its topic, sent at the QoS each one was granted; the QoS 0
     * packet is encoded once and shared by every client.
     */
    record Message(String topic, byte[] payload, byte[] qos0Packet) implements Outbound {
        static Message of(String topic, byte[] payload) {
            return new Message(topic, payload, MqttCodec.encode(new Publish(false, 0, false, topic, 0, payload)));
        }
    }

    /** A packet for one client only (CONNACK, SUBACK, PUBACK, PINGRESP …), sent as it is. */
    record Packet(byte[] bytes) implements Outbound {
        static Packet of(MqttPacket packet) {
            return new Packet(MqttCodec.encode(packet));
        }
    }
}
