# PandaProxy: one image for every sub-command (`proxy`, `operator`, `simulate`, `demo`, `doctor`, `ca`).
#   docker build -t ghcr.io/pandaproxy/pandaproxy:0.1.0 .
#   docker run --rm --network host ghcr.io/pandaproxy/pandaproxy:0.1.0 proxy -p <printer-ip> -s <serial> -a <code>

# --- build: the project's own Maven wrapper on a JDK 21 -------------------------------------------------------------
# on the builder's own platform: the jar and its libraries are the same bytes for every architecture, so a multi-arch
# build (linux/amd64,linux/arm64) compiles once, natively, and emulates only the runtime stage's few commands
FROM --platform=$BUILDPLATFORM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# dependencies in a layer of their own, so that a source change does not download them again
RUN ./mvnw -q -B dependency:go-offline
COPY src src
# target/pandaproxy.jar, a thin jar whose manifest class path names target/libs/*.jar (see pom.xml)
RUN ./mvnw -q -B package -DskipTests

# --- runtime: a JRE, ffmpeg for the RTSP camera in local mode, curl for the health check ----------------------------
FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl libcap2-bin \
 # The printer's ports 322 and 990 are below 1024: a file capability lets the JVM bind them without running as
 # root. A binary with file capabilities runs in secure-execution mode, where the loader ignores $ORIGIN, so the
 # JDK's own libraries (libjli.so) must be found through ld.so.conf instead.
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v java)")" \
 && echo "$JAVA_HOME/lib" > /etc/ld.so.conf.d/java.conf && ldconfig \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 # uid and gid 10001: what the Helm chart's runAsUser/runAsGroup and Pod Security runAsNonRoot expect
 && groupadd --system --gid 10001 pandaproxy \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/pandaproxy --create-home pandaproxy
# the same layout as target/: the jar's manifest finds its libraries in libs/ beside it
COPY --from=build /src/target/libs /app/libs
COPY --from=build /src/target/pandaproxy.jar /app/pandaproxy.jar
USER 10001:10001
# the proxy's state (its CA, pinned printer certificates) goes to $XDG_STATE_HOME/pandaproxy, the user's home
ENV XDG_STATE_HOME=/var/lib
# chamber camera, MQTT, FTPS, RTSPS, HTTP (status, metrics, health)
EXPOSE 6000 8883 990 322 8080 8443
# the proxy's readiness (Docker only: Kubernetes uses the probes of the Deployments instead)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fsS http://127.0.0.1:8080/observe/health/ready || exit 1
# the serial collector, which the JVM picks itself only in small containers: the proxy's live heap is
# small and G1's concurrent cycles and longer pauses delay camera frames (README, BENCHMARKS.md); the heap
# follows the container's memory limit. Set JDK_JAVA_OPTIONS to choose otherwise.
ENV JDK_JAVA_OPTIONS=-XX:+UseSerialGC
ENTRYPOINT ["java", "-jar", "/app/pandaproxy.jar"]
CMD ["proxy"]
