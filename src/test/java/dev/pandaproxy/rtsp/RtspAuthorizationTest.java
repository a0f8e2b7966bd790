package dev.pandaproxy.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pandaproxy.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The relay pump that gives ffmpeg's RTSP requests the credentials ffmpeg itself never holds. */
class RtspAuthorizationTest {
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString("bblp:01234567".getBytes(StandardCharsets.UTF_8));

    @Test
    void everyRequestCarriesTheCredentialsAndOnlyThose() throws IOException {
        String requests =
                "DESCRIBE rtsp://127.0.0.1:8555/streaming/live/1 RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n"
                        + "SETUP rtsp://127.0.0.1:8555/streaming/live/1/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                        + "authorization: Basic Zm9vOmJhcg==\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";

        String relayed = pump(requests.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(relayed)
                .isEqualTo(
                        "DESCRIBE rtsp://127.0.0.1:8555/streaming/live/1 RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n"
                                + "Authorization: " + BASIC + "\r\n\r\n"
                                + "SETUP rtsp://127.0.0.1:8555/streaming/live/1/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nAuthorization: " + BASIC
                                + "\r\n\r\n");
    }

    @Test
    void interleavedFramesAndBodiesPassUnchanged() throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        String sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\n";
        in.writeBytes(("ANNOUNCE rtsp://127.0.0.1:9000/streaming/live/1 RTSP/1.0\r\nCSeq: 1\r\nContent-Length: "
                        + sdp.length() + "\r\n\r\n" + sdp)
                .getBytes(StandardCharsets.ISO_8859_1));
        // an RTCP packet whose payload looks like the start of a request, then a keep-alive
        byte[] payload = "GET_PARAMETER x".getBytes(StandardCharsets.ISO_8859_1);
        in.writeBytes(new byte[] {'$', 1, 0, (byte) payload.length});
        in.writeBytes(payload);
        in.writeBytes("GET_PARAMETER rtsp://127.0.0.1:9000/streaming/live/1 RTSP/1.0\r\nCSeq: 2\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));

        String relayed = pump(in.toByteArray());

        assertThat(relayed)
                .startsWith("ANNOUNCE rtsp://127.0.0.1:9000/streaming/live/1 RTSP/1.0\r\nCSeq: 1\r\nContent-Length: "
                        + sdp.length() + "\r\nAuthorization: " + BASIC + "\r\n\r\n" + sdp
                        + "$\u0001\u0000\u000fGET_PARAMETER x"
                        + "GET_PARAMETER rtsp://127.0.0.1:9000/streaming/live/1 RTSP/1.0\r\nCSeq: 2\r\nAuthorization: "
                        + BASIC + "\r\n\r\n");
    }

    @Test
    void anEndlessHeaderIsRefused() {
        byte[] endless = ("OPTIONS * RTSP/1.0\r\nX: " + "a".repeat(RtspAuthorization.MAX_HEADER))
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> pump(endless)).isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    private static String pump(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RtspAuthorization.basic("bblp", Secret.of("01234567"))
                .pump(new ByteArrayInputStream(input), out, new AtomicLong());
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
