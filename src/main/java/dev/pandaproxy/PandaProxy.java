package dev.pandaproxy;

import dev.pandaproxy.chamber.ChamberCamera;
import dev.pandaproxy.chamber.FrameFeed;
import dev.pandaproxy.config.CameraConfig;
import dev.pandaproxy.config.HttpConfig;
import dev.pandaproxy.config.ListenConfig;
import dev.pandaproxy.config.ProxyConfig;
import dev.pandaproxy.config.Service;
import dev.pandaproxy.config.ServicePorts;
import dev.pandaproxy.config.SlicerConfig;
import dev.pandaproxy.discovery.DetectService;
import dev.pandaproxy.discovery.DiscoveryService;
import dev.pandaproxy.discovery.PrinterIdentitySource;
import dev.pandaproxy.discovery.SlicerPortsRelay;
import dev.pandaproxy.doctor.Doctor;
import dev.pandaproxy.ftp.FtpService;
import dev.pandaproxy.guard.LoginThrottle;
import dev.pandaproxy.http.ProxyHttp;
import dev.pandaproxy.mqtt.MqttService;
import dev.pandaproxy.rtsp.CameraDetector;
import dev.pandaproxy.rtsp.RtspCamera;
import dev.pandaproxy.service.ServiceContext;
import dev.pandaproxy.status.ProxiedService;
import dev.pandaproxy.status.ProxyStatus;
import dev.pandaproxy.status.ServiceStatus;
import dev.pandaproxy.tls.Fingerprint;
import dev.pandaproxy.tls.TlsMaterial;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The per-printer proxy: every enabled service plus the HTTP side, started and stopped together. */
public final class PandaProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PandaProxy.class.getName());

    private final ProxyConfig config;
    private final TlsMaterial tls;
    /** One for every service, so failures anywhere count together. */
    private final LoginThrottle throttle;

    private final Instant startedAt = Instant.now();
    private final List<ProxiedService> services = new ArrayList<>();
    private ChamberCamera camera;
    private RtspCamera rtspCamera;
    private volatile ProxyStatus.Camera cameraKind;
    private MqttService mqtt;
    private FtpService ftp;
    private DiscoveryService discovery;
    private DetectService detect;
    private ProxyHttp http;

    private PandaProxy(ProxyConfig config, TlsMaterial tls) {
        this.config = config;
        this.tls = tls;
        this.throttle = new LoginThrottle(config.loginThrottle());
    }

    /**
     * Loads or creates the TLS material, binds every listener and starts the printer connections.
     *
     * @throws dev.pandaproxy.config.ConfigException when a port or address cannot be used
     */
    public static PandaProxy start(ProxyConfig config) throws IOException {
        Thread.startVirtualThread(ProxyHttp::prepare); // ready sooner (issue 15): see prepare()
        PandaProxy proxy = new PandaProxy(config, TlsMaterial.load(config.proxy(), config.printer()));
        try {
            proxy.startServices();
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private void startServices() {
        ServiceContext context = new ServiceContext(
                config.printer(),
                tls.printer().clientContext(),
                tls.identity().serverContext(),
                config.proxy().bind(),
                config.proxy().advertiseAddress(),
                config.proxy().stateDir(),
                throttle,
                config.relay());
        if (config.proxy().services().contains(Service.CAMERA)) {
            startCamera(context);
        }
        if (config.proxy().services().contains(Service.MQTT)) {
            mqtt = new MqttService(
                    config.mqtt(), context, config.proxy().ports().mqtt());
            services.add(mqtt);
        }
        if (config.proxy().services().contains(Service.FTP)) {
            ftp = new FtpService(config.ftp(), context, config.proxy().ports().ftp());
            services.add(ftp);
        }
        SlicerConfig slicer = config.slicer();
        if (slicer.discovery() || slicer.detect()) {
            PrinterIdentitySource identity = new PrinterIdentitySource(
                    config.printer().serial(), slicer, () -> mqtt == null ? Optional.empty() : mqtt.firmwareVersion());
            if (slicer.discovery()) {
                discovery = new DiscoveryService(
                        slicer,
                        config.printer().host(),
                        config.proxy().discoveryPort(),
                        config.proxy().advertiseAddress(),
                        identity);
                services.add(discovery);
            }
            if (slicer.detect()) {
                detect = new DetectService(
                        slicer,
                        identity,
                        context.toClients(),
                        context.bindAddress(),
                        config.proxy().detectPort(),
                        config.proxy().detectTlsPort());
                services.add(detect);
            }
        }
        if (slicer.extraPorts()) {
            services.add(new SlicerPortsRelay(context, slicer.extraPortRange()));
        }
        for (ProxiedService service : services) {
            service.start();
        }
        List<Supplier<ServiceStatus>> statuses =
                services.stream().<Supplier<ServiceStatus>>map(s -> s::status).toList();
        http = ProxyHttp.start(
                config.proxy().bind(),
                new ProxyHttp.Parts(
                        this::status,
                        statuses,
                        Optional.<FrameFeed>ofNullable(camera),
                        tls.ca(),
                        context.toClients(),
                        config.printer().accessCode(),
                        throttle,
                        config.http(),
                        config.camera().snapshotTimeout(),
                        Optional.ofNullable(cameraKind).map(ProxyStatus.Camera::type),
                        Optional.ofNullable(mqtt).map(service -> service::printerState),
                        () -> new Doctor(bound(), Duration.ofSeconds(Doctor.DEFAULT_TIMEOUT_SECONDS)).run(),
                        Optional.ofNullable(rtspCamera).map(RtspCamera::hlsAddress)));
        LOG.log(
                Level.INFO,
                "http: listening on {0}:{1} (status, metrics, health, CA) and HTTPS on {0}:{2} (the page, camera, status)",
                config.proxy().bind(),
                String.valueOf(http.port()),
                String.valueOf(http.httpsPort()));
        LOG.log(
                Level.INFO,
                "proxy CA SHA-256 {0}: import it into clients that verify the printer "
                        + "(pandaproxy ca, or GET /tls/ca.pem)",
                Fingerprint.sha256(tls.ca()));
    }

    /** The camera the configuration names, or the one probing finds ({@code camera.mode: auto}). */
    private void startCamera(ServiceContext context) {
        CameraConfig.Mode mode = config.camera().mode();
        String detail = "camera.mode = " + mode.name().toLowerCase(Locale.ROOT);
        if (mode == CameraConfig.Mode.AUTO) {
            Path printerDir = context.printerDir();
            CameraDetector.Detection detection = CameraDetector.remembered(printerDir)
                    .orElseGet(() -> {
                        CameraDetector.Detection found = CameraDetector.detect(
                                context.toPrinter(),
                                config.printer(),
                                config.camera().detectTimeout());
                        CameraDetector.remember(printerDir, found);
                        return found;
                    });
            mode = detection.mode();
            detail = detection.detail();
            LOG.log(Level.INFO, "camera: {0} ({1})", mode.name().toLowerCase(Locale.ROOT), detail);
        }
        cameraKind = new ProxyStatus.Camera(mode.name().toLowerCase(Locale.ROOT), detail);
        switch (mode) {
            case CHAMBER -> {
                camera = new ChamberCamera(
                        config.camera(), context, config.proxy().ports().chamber());
                services.add(camera);
            }
            case RTSP -> {
                rtspCamera = new RtspCamera(
                        config.camera(),
                        context,
                        tls.identity(),
                        config.proxy().ports().rtsp(),
                        config.proxy().ports().chamber());
                services.add(rtspCamera);
            }
            default ->
                LOG.log(
                        Level.WARNING,
                        "camera: no camera found, the camera is off ({0}); check that the printer is on "
                                + "and in LAN mode, the access code, and on H2 printers the \"LAN only liveview\" setting; set "
                                + "camera.mode to chamber or rtsp to skip the detection",
                        detail);
        }
    }

    /**
     * The configuration with the ports this proxy bound (a 0 in the configuration picks a free one), so the doctor's
     * checks run from the page reach this proxy.
     */
    private ProxyConfig bound() {
        ListenConfig listen = config.proxy();
        ServicePorts ports = new ServicePorts(
                camera == null ? listen.ports().chamber() : camera.port(),
                mqtt == null ? listen.ports().mqtt() : mqtt.port(),
                ftp == null ? listen.ports().ftp() : ftp.port(),
                listen.ports().rtsp());
        ListenConfig boundListen = new ListenConfig(
                listen.bind(),
                listen.services(),
                ports,
                listen.discoveryPort(),
                detect == null ? listen.detectPort() : detect.plainPort(),
                detect == null ? listen.detectTlsPort() : detect.tlsPort(),
                listen.advertiseAddress(),
                listen.stateDir(),
                listen.tls());
        HttpConfig web = config.http();
        HttpConfig boundHttp = new HttpConfig(
                http.port(),
                http.httpsPort(),
                web.cameraAuth(),
                web.plainCamera(),
                web.maxStreams(),
                web.maxConnections(),
                web.idleTimeout());
        return new ProxyConfig(
                config.printer(),
                boundListen,
                config.camera(),
                config.mqtt(),
                config.ftp(),
                config.slicer(),
                boundHttp,
                config.loginThrottle(),
                config.relay());
    }

    public ProxyStatus status() {
        return new ProxyStatus(
                Version.current(),
                startedAt,
                new ProxyStatus.Printer(
                        config.printer().host(),
                        config.printer().serial(),
                        config.printer().trust().name().toLowerCase()),
                Fingerprint.sha256(tls.ca()),
                tls.printer().pins(),
                Optional.ofNullable(cameraKind),
                Stream.concat(
                                services.stream().map(ProxiedService::status),
                                http == null ? Stream.empty() : http.services().stream())
                        .toList());
    }

    /** The chamber camera, when enabled. */
    public Optional<ChamberCamera> camera() {
        return Optional.ofNullable(camera);
    }

    /** The RTSPS camera, when the printer has one (or {@code camera.mode} says so). */
    public Optional<RtspCamera> rtspCamera() {
        return Optional.ofNullable(rtspCamera);
    }

    /** The MQTT service, when enabled. */
    public Optional<MqttService> mqtt() {
        return Optional.ofNullable(mqtt);
    }

    /** The FTPS service, when enabled. */
    public Optional<FtpService> ftp() {
        return Optional.ofNullable(ftp);
    }

    /** Slicer discovery, when enabled. */
    public Optional<DiscoveryService> discovery() {
        return Optional.ofNullable(discovery);
    }

    /** The slicers' detect handshake, when enabled. */
    public Optional<DetectService> detect() {
        return Optional.ofNullable(detect);
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return http.port();
    }

    /** The bound HTTPS port. */
    public int httpsPort() {
        return http.httpsPort();
    }

    public TlsMaterial tls() {
        return tls;
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        services.forEach(ProxiedService::close);
    }
}
