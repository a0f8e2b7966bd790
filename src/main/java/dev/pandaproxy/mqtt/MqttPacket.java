package dev.pandaproxy.mqtt;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** MQTT 3.1.1 control packets (3.1's {@code MQIsdp} CONNECT included), as plain data. */
public sealed interface MqttPacket {
    /**
     * CONNECT.
     *
     * @param protocolLevel 4 for MQTT 3.1.1, 3 for MQTT 3.1 ({@code MQIsdp})
     * @param cleanSession  whether the client asked for a clean session
     * @param keepAliveSeconds 0 for none
     * @param clientId      client identifier (may be empty)
     * @param will          the will message, if any
     * @param username      user name, if any
     * @param password      password bytes, if any; never printed
     */
    record Connect(
            int protocolLevel,
            boolean cleanSession,
            int keepAliveSeconds,
            String clientId,
            Optional<Will> will,
            Optional<String> username,
            Optional<byte[]> password)
            implements MqttPacket {
        @Override
        public String toString() {
            return "Connect[level=" + protocolLevel + ", clientId=" + clientId + ", username=" + username.orElse("")
                    + ", password=" + (password.isPresent() ? "********" : "none") + ", keepAlive=" + keepAliveSeconds
                    + "]";
        }
    }

    /**
     * A CONNECT's will message.
     *
     * @param topic   will topic
     * @param payload will payload
     * @param qos     will QoS
     * @param retain  will retain flag
     */
    record Will(String topic, byte[] payload, int qos, boolean retain) {}

    /** CONNACK. */
    record ConnAck(boolean sessionPresent, int returnCode) implements MqttPacket {
        public static final int ACCEPTED = 0;
        public static final int UNACCEPTABLE_PROTOCOL_VERSION = 1;
        public static final int IDENTIFIER_REJECTED = 2;
        public static final int SERVER_UNAVAILABLE = 3;
        public static final int BAD_USERNAME_OR_PASSWORD = 4;
        public static final int NOT_AUTHORIZED = 5;
    }

    /**
     * PUBLISH; the payload is carried as received and never re-encoded.
     *
     * @param packetId 0 for QoS 0
     */
    record Publish(boolean dup, int qos, boolean retain, String topic, int packetId, byte[] payload)
            implements MqttPacket {
        @Override
        public boolean equals(Object other) {
            return other instanceof Publish p
                    && dup == p.dup
                    && qos == p.qos
                    && retain == p.retain
                    && topic.equals(p.topic)
                    && packetId == p.packetId
                    && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return topic.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Publish[topic=" + topic + ", qos=" + qos + ", id=" + packetId + ", " + payload.length + " bytes]";
        }
    }

    /** PUBACK (QoS 1). */
    record PubAck(int packetId) implements MqttPacket {}

    /** PUBREC (QoS 2, step 1). */
    record PubRec(int packetId) implements MqttPacket {}

    /** PUBREL (QoS 2, step 2). */
    record PubRel(int packetId) implements MqttPacket {}

    /** PUBCOMP (QoS 2, step 3). */
    record PubComp(int packetId) implements MqttPacket {}

    /** One topic filter of a SUBSCRIBE with its requested QoS. */
    record TopicRequest(String filter, int qos) {}

    /** SUBSCRIBE. */
    record Subscribe(int packetId, List<TopicRequest> topics) implements MqttPacket {}

    /** SUBACK: one granted QoS (or {@link #FAILURE}) per requested filter. */
    record SubAck(int packetId, List<Integer> returnCodes) implements MqttPacket {
        public static final int FAILURE = 0x80;
    }

    /** UNSUBSCRIBE. */
    record Unsubscribe(int packetId, List<String> filters) implements MqttPacket {}

    /** UNSUBACK. */
    record UnsubAck(int packetId) implements MqttPacket {}

    /** PINGREQ. */
    record PingReq() implements MqttPacket {}

    /** PINGRESP. */
    record PingResp() implements MqttPacket {}

    /** DISCONNECT. */
    record Disconnect() implements MqttPacket {}
}
