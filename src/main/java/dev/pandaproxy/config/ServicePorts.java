package dev.pandaproxy.config;

/** TCP ports of the printer services, on the printer or on the proxy. */
public record ServicePorts(int chamber, int mqtt, int ftp, int rtsp) {
    /** The ports a BambuLab printer uses. */
    public static final ServicePorts PRINTER = new ServicePorts(6000, 8883, 990, 322);

    /** These ports shifted by {@code offset} (the demo runs without root on the printer ports + 10000/20000). */
    public ServicePorts plus(int offset) {
        return new ServicePorts(chamber + offset, mqtt + offset, ftp + offset, rtsp + offset);
    }
}
