package dev.pandaproxy.config;

/**
 * TCP ports of the printer services, on the printer or on the proxy; and every well-known port, each defined here
 * once: the printer's, which the proxy listens on too, and the proxy's own.
 */
public record ServicePorts(int chamber, int mqtt, int ftp, int rtsp) {
    /** The chamber camera (A1/P1: a JPEG stream; X1/H2/P2: the slicer's file tunnel). */
    public static final int CHAMBER = 6000;
    /** MQTT over TLS. */
    public static final int MQTT = 8883;
    /** Implicit FTPS. */
    public static final int FTP = 990;
    /** The RTSPS camera of X1/H2/P2 printers. */
    public static final int RTSP = 322;
    /** UDP: printers announce themselves to it, slicers listen on it. */
    public static final int DISCOVERY = 2021;
    /** The slicers' detect handshake, plain. */
    public static final int DETECT = 3000;
    /** The slicers' detect handshake over TLS. */
    public static final int DETECT_TLS = 3002;
    /** The proxy's plain HTTP port. */
    public static final int HTTP = 8080;
    /** The proxy's HTTPS port. */
    public static final int HTTPS = 8443;

    /** The ports a BambuLab printer uses. */
    public static final ServicePorts PRINTER = new ServicePorts(CHAMBER, MQTT, FTP, RTSP);

    /** These ports shifted by {@code offset} (the demo runs without root on the printer ports + 10000/20000). */
    public ServicePorts plus(int offset) {
        return new ServicePorts(chamber + offset, mqtt + offset, ftp + offset, rtsp + offset);
    }

    /**
     * {@code prefix.chamber}, {@code .mqtt}, {@code .ftp} and {@code .rtsp}, each the printer's port by default.
     *
     * @param listening the proxy's ports, where 0 picks a free one (the printer's cannot be 0)
     */
    static ServicePorts from(ConfigReader r, String prefix, boolean listening) {
        return new ServicePorts(
                r.port(prefix + ".chamber", CHAMBER, listening),
                r.port(prefix + ".mqtt", MQTT, listening),
                r.port(prefix + ".ftp", FTP, listening),
                r.port(prefix + ".rtsp", RTSP, listening));
    }
}
