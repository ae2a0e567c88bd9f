# The tenant agent's image, which deploy/helm/eci-virtual-node-agent runs (its pre-delete drain too,
# with AGENT_MODE=drain): the JVM build Quarkus makes (the fast-jar layout of target/quarkus-app/) on
# a Java 17 runtime, run as a non-root user.
#
#   ./mvnw -B -ntp package -DskipTests
#   docker build -f deploy/docker/tenant-agent.Dockerfile -t eci-virtual-node/tenant-agent:0.1.0-SNAPSHOT tenant-agent
#
# The build context is the module's directory. Layers go from what changes least to what changes most
# (libraries, then the generated bootstrap, then the application), so a code change rebuilds only the
# last ones.
FROM eclipse-temurin:17-jre

# 185 is the user Quarkus's own images run as; the manifests' securityContext names the same.
RUN groupadd --system --gid 185 quarkus \
 && useradd --system --uid 185 --gid 185 --home-dir /deployments --shell /usr/sbin/nologin quarkus \
 && mkdir -p /deployments && chown 185:185 /deployments

WORKDIR /deployments
COPY --chown=185:185 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:185 target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
COPY --chown=185:185 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:185 target/quarkus-app/quarkus/ /deployments/quarkus/

USER 185
EXPOSE 8081 8443
# The heap follows the container's memory limit; JAVA_OPTS_APPEND adds to it (the manifests set it).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
# exec: java is PID 1 and gets SIGTERM, so the application shuts down cleanly.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar"]
