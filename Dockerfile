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
# Java 25, the JDK the benchmarks measure: virtual threads no longer pin their carrier in `synchronized` (JDK 24),
# and the AOT cache below needs it
FROM eclipse-temurin:25-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl libcap2-bin \
 # The printer's ports 322 and 990 are below 1024, and only the proxy binds them. The kernel refuses to start a
 # binary whose file capabilities are not all in the process's bounding set, and the operator's container drops
 # every capability: so the JDK's `java` keeps no capability, and a copy of its launcher, java-netbind, gets
 # cap_net_bind_service for `pandaproxy proxy` alone (src/main/docker/pandaproxy chooses the launcher by command). A copy,
 # not a link: file capabilities belong to the inode, which a hard link shares. The copy stays in the JDK's bin/,
 # where the launcher finds its JDK; a binary with file capabilities runs in secure-execution mode, where the
 # loader ignores $ORIGIN, so the JDK's own libraries (libjli.so) must be found through ld.so.conf instead.
 && cp "$JAVA_HOME/bin/java" "$JAVA_HOME/bin/java-netbind" \
 && setcap cap_net_bind_service=+ep "$JAVA_HOME/bin/java-netbind" \
 && echo "$JAVA_HOME/lib" > /etc/ld.so.conf.d/java.conf && ldconfig \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 # uid and gid 10001: what the Helm chart's runAsUser/runAsGroup and Pod Security runAsNonRoot expect
 && groupadd --system --gid 10001 pandaproxy \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/pandaproxy --create-home pandaproxy
COPY src/main/docker/pandaproxy src/main/docker/healthcheck /app/
# the same layout as target/: the jar's manifest finds its libraries in libs/ beside it
COPY --from=build /src/target/libs /app/libs
COPY --from=build /src/target/pandaproxy.jar /app/pandaproxy.jar
# the JVM options of the proxy (and the other commands) and of the operator (README, BENCHMARKS.md "Footprint");
# mount another file there to change them
COPY --from=build /src/target/jvm.options /src/target/operator.options /app/
# JDK 25's ahead-of-time cache (JEP 483/514): the classes a proxy loads, read and linked once here in a training
# run against the simulator (src/main/docker/train-aot-cache, which the footprint benchmark runs too), so a proxy
# starts faster (BENCHMARKS.md, "Footprint"). The JVM ignores the cache, with a warning, if the JDK or the class path
# differ.
COPY src/main/docker/train-aot-cache /tmp/train-aot-cache
RUN /tmp/train-aot-cache /app /app/pandaproxy.aot && rm /tmp/train-aot-cache
USER 10001:10001
# the proxy's state (its CA, pinned printer certificates) goes to $XDG_STATE_HOME/pandaproxy, the user's home
ENV XDG_STATE_HOME=/var/lib
# chamber camera, MQTT, FTPS, RTSPS, HTTP (status, metrics, health)
EXPOSE 6000 8883 990 322 8080 8443
# the readiness of the command running, on its own HTTP port (Docker only: Kubernetes uses the Deployments' probes)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["/app/healthcheck"]
# the launcher starts java with @/app/jvm.options, or @/app/operator.options for the operator (after JDK_JAVA_OPTIONS,
# so they win: change the file instead)
ENTRYPOINT ["/app/pandaproxy"]
CMD ["proxy"]
