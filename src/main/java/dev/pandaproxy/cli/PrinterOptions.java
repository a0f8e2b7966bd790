package dev.pandaproxy.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The original PandaProxy's flags, shared by {@code proxy} and {@code doctor}. */
final class PrinterOptions {
    @Option(
            names = {"-p", "--printer-ip"},
            paramLabel = "HOST",
            description = "printer address (PRINTER_IP)")
    String printerIp;

    @Option(
            names = {"-a", "--access-code"},
            paramLabel = "CODE",
            description = "printer LAN access code (ACCESS_CODE; prefer the variable: flags show in process lists)")
    String accessCode;

    @Option(
            names = {"-s", "--serial-number"},
            paramLabel = "SERIAL",
            description = "printer serial number (SERIAL_NUMBER)")
    String serial;

    @Option(
            names = {"-b", "--bind"},
            paramLabel = "ADDRESS",
            description = "listening address (BIND_ADDRESS, default 0.0.0.0)")
    String bind;

    @Option(
            names = "--services",
            paramLabel = "LIST",
            description = "comma list of camera, mqtt, ftp (SERVICES, default camera)")
    String services;

    @Option(names = "--enable-all", description = "enable every service (ENABLE_ALL)")
    boolean enableAll;

    @Option(
            names = "--camera",
            paramLabel = "MODE",
            description = "auto (probe the printer), chamber, rtsp or none (camera.mode)")
    String camera;

    /** The flags given, as configuration keys. */
    Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        putIfSet(flags, "printer.host", printerIp);
        putIfSet(flags, "printer.access-code", accessCode);
        putIfSet(flags, "printer.serial", serial);
        putIfSet(flags, "proxy.bind", bind);
        putIfSet(flags, "proxy.services", services);
        putIfSet(flags, "camera.mode", camera);
        if (enableAll) {
            flags.put("proxy.enable-all", "true");
        }
        return flags;
    }

    private static void putIfSet(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }
}
