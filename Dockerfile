# PandaProxy: one image for `proxy`, `operator`, `simulate` and `demo`.
# Build: docker build -t ghcr.io/pandaproxy/pandaproxy:0.1.0 .

# --- build: the same wrapper and Maven version as everywhere else ---
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# dependencies first, so a source change does not download them again
RUN ./mvnw -q -B dependency:go-offline
COPY crds crds
COPY src src
RUN ./mvnw -q -B package -DskipTests

# --- runtime: a JRE, ffmpeg for the RTSP camera run locally, curl for the health check ---
FROM eclipse-temurin:21-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl libcap2-bin \
 # the printer's ports 322 and 990 are below 1024: the JVM may bind them without running as root. A binary with
 # file capabilities runs in secure mode, where $ORIGIN is not searched: the JDK's libraries go to ld.so.conf.
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v java)")" \
 && echo "$JAVA_HOME/lib" > /etc/ld.so.conf.d/java.conf && ldconfig \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/pandaproxy --create-home pandaproxy
COPY --from=build /src/target/pandaproxy.jar /app/pandaproxy.jar
COPY --from=build /src/target/libs /app/libs
USER 10001
ENV XDG_STATE_HOME=/var/lib
# chamber camera, MQTT, FTPS, RTSPS, HTTP (status, metrics, health)
EXPOSE 6000 8883 990 322 8080
# (the proxy's readiness; Kubernetes uses the probes of the generated Deployment instead)
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8080/observe/health/ready || exit 1
ENTRYPOINT ["java", "-jar", "/app/pandaproxy.jar"]
CMD ["proxy"]
