package dev.pandaproxy.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * {@code pandaproxy proxy} (or another command) in a JVM of its own, so its CPU time and memory can be read from /proc without
 * the benchmark's clients and simulator mixed in.
 */
final class ProxyProcess implements AutoCloseable {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    final int httpPort;
    /** From starting the process to the first 200 of the readiness check, polled every 20 ms. */
    private long readyMillis;

    private ProxyProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts the proxy with {@code yaml} (its HTTP port is chosen here) and waits until it is ready. */
    static ProxyProcess start(Path dir, String yaml, String... extraJvmOptions) throws Exception {
        Path config = Files.writeString(dir.resolve("proxy.yaml"), yaml);
        int httpPort = freePort();
        return launch(
                dir,
                List.of(extraJvmOptions),
                pandaproxy(List.of("proxy", "--config", config.toString())),
                Map.of("PROXY_PORTS_HTTP", String.valueOf(httpPort)),
                httpPort);
    }

    /**
     * Starts {@code pandaproxy <arguments>} with {@code environment} added to this JVM's, and waits until its
     * readiness check on {@code httpPort} answers 200.
     */
    static ProxyProcess start(Path dir, List<String> arguments, Map<String, String> environment, int httpPort)
            throws Exception {
        return launch(dir, List.of(), pandaproxy(arguments), environment, httpPort);
    }

    /** The jar as users run it (-Dbench.proxy-jar, set by the bench profile), else the test class path. */
    private static List<String> pandaproxy(List<String> arguments) {
        String jar = System.getProperty("bench.proxy-jar", "");
        List<String> main = new ArrayList<>(
                jar.isBlank()
                        ? List.of("-cp", System.getProperty("java.class.path"), "dev.pandaproxy.cli.Main")
                        : List.of("-jar", jar));
        main.addAll(arguments);
        return main;
    }

    /**
     * Starts {@link HelidonFloor}, the proxy's web stack and nothing else, with the proxy's JVM options: the least
     * memory any proxy built on this stack can take.
     */
    static ProxyProcess startFloor(Path dir) throws Exception {
        // the proxy's libraries (beside its jar) and this class, not the benchmark's class path: Helidon's service
        // discovery would load from the test jars too
        String jar = System.getProperty("bench.proxy-jar", "");
        String classPath = jar.isBlank()
                ? System.getProperty("java.class.path")
                : Path.of(HelidonFloor.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        + File.pathSeparator
                        + Path.of(jar).resolveSibling("libs").resolve("*");
        int httpPort = freePort();
        return launch(
                dir,
                List.of(),
                List.of("-cp", classPath, HelidonFloor.class.getName()),
                Map.of("PROXY_PORTS_HTTP", String.valueOf(httpPort)),
                httpPort);
    }

    /**
     * Runs {@code main} in a JVM with the options under test and {@code environment}, and waits for its readiness check
     * on {@code httpPort}. Its output goes to {@code dir/proxy.log}.
     */
    private static ProxyProcess launch(
            Path dir, List<String> extraJvmOptions, List<String> main, Map<String, String> environment, int httpPort)
            throws Exception {
        List<String> command =
                new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        // JVM options of the proxy under test, e.g. -Dbench.proxy-jvm="-XX:+UseSerialGC -Xmx64m"
        command.addAll(Arrays.stream(System.getProperty("bench.proxy-jvm", "").split("\\s+"))
                .filter(o -> !o.isBlank())
                .toList());
        command.addAll(extraJvmOptions);
        command.addAll(main);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("proxy.log").toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        ProxyProcess proxy = new ProxyProcess(process, httpPort);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        "http://127.0.0.1:" + httpPort + "/observe/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    proxy.readyMillis = (System.nanoTime() - started) / 1_000_000;
                    return proxy;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                proxy.close();
                throw new IllegalStateException(
                        "the process under test did not become ready; see " + dir.resolve("proxy.log"));
            }
            Thread.sleep(20);
        }
    }

    long readyMillis() {
        return readyMillis;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user + system) used so far, in milliseconds. */
    long cpuMillis() throws IOException {
        String stat =
                Files.readAllLines(Path.of("/proc/" + process.pid() + "/stat")).getFirst();
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** Resident memory now and at its peak, in MiB. */
    List<Long> rssMiB() throws IOException {
        long rss = 0;
        long peak = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return List.of(rss, peak);
    }

    /** Java heap in use after a full collection, in KiB (what the live objects really take). */
    long liveHeapKiB() throws Exception {
        Path javaBinary = Path.of(ProcessHandle.current().info().command().orElseThrow());
        String jcmd = javaBinary.resolveSibling("jcmd").toString();
        run(jcmd, String.valueOf(process.pid()), "GC.run");
        String info = run(jcmd, String.valueOf(process.pid()), "GC.heap_info");
        // one "total …, used NK" line for G1's single heap, one per generation for the serial and parallel
        // collectors (whose first line is only the young generation); Metaspace lines carry no "total"
        List<MatchResult> used = Pattern.compile("total [^\\n]*?used (\\d+)K")
                .matcher(info)
                .results()
                .toList();
        if (used.isEmpty()) {
            throw new IllegalStateException("unexpected GC.heap_info output: " + info);
        }
        return used.stream()
                .mapToLong(generation -> Long.parseLong(generation.group(1)))
                .sum();
    }

    private static String run(String... command) throws Exception {
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** The body of a {@code GET} of {@code path} on the process's HTTP port. */
    String get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        // a training run writes its AOT cache as it exits, which takes a few seconds
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
