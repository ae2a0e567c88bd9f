package io.eci.vnode.agent.sync;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.engine.AgentHolder;
import io.eci.vnode.agent.engine.EngineSupervisor;
import io.eci.vnode.agent.engine.RunningEngine;
import io.eci.vnode.agent.link.AgentApi;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.OutageLog;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the agent's status to the service every {@code heartbeatSeconds} of the configuration in
 * force. A report the service does not take is logged as an outage is: one WARN, then one summary a
 * minute.
 */
@ApplicationScoped
public class Heartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final AgentApi api;
  private final AgentSettings settings;
  private final EngineSupervisor supervisor;
  private final AgentState state;
  private final KubernetesClient client;
  private final String agentVersion;
  private final OutageLog outage =
      OutageLog.of("status reports to the control service", OutageLog.SUMMARY_EVERY);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "agent-heartbeat");
            t.setDaemon(true);
            return t;
          });

  Heartbeat(
      AgentApi api,
      AgentSettings settings,
      EngineSupervisor supervisor,
      AgentState state,
      KubernetesClient client,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String agentVersion) {
    this.api = api;
    this.settings = settings;
    this.supervisor = supervisor;
    this.state = state;
    this.client = client;
    this.agentVersion = agentVersion;
  }

  /** Starts reporting. */
  public void start() {
    timer.execute(this::beat);
  }

  private void beat() {
    try {
      supervisor.config().ifPresent(config -> send(report(config)));
    } catch (RuntimeException e) {
      outage.failed(e);
    } finally {
      int seconds = supervisor.config().map(RemoteConfig::heartbeatSecondsOrDefault).orElse(1);
      if (!timer.isShutdown()) {
        timer.schedule(this::beat, seconds, TimeUnit.SECONDS);
      }
    }
  }

  private void send(StatusReport report) {
    api.putStatus(report.json());
    outage.succeeded();
  }

  /** What the agent reports under {@code config}. */
  StatusReport report(RemoteConfig config) {
    Optional<RunningEngine> running = supervisor.running();
    Optional<Lease> lease = ownershipLease();
    String owner =
        lease.map(l -> l.getSpec().getHolderIdentity()).filter(h -> !h.isEmpty()).orElse(null);
    String holder =
        running
            .map(r -> r.holder().identity())
            .orElseGet(() -> AgentHolder.of(settings.replica(), config).identity());
    String acquired =
        lease
            .filter(l -> holder.equals(l.getSpec().getHolderIdentity()))
            .map(l -> l.getSpec().getAcquireTime())
            .map(t -> t.toInstant().toString())
            .orElse(null);
    Optional<VirtualNode.Status> status = running.map(r -> r.node().status());
    return new StatusReport(
        agentVersion,
        holder,
        owner,
        running.map(r -> r.node().nodeName()).orElse(null),
        status.map(VirtualNode.Status::nodeReady).orElse(false),
        status.map(VirtualNode.Status::podsByPhase).orElse(Map.of()),
        lastError(status).orElse(null),
        acquired,
        config.version());
  }

  private Optional<StatusReport.LastError> lastError(Optional<VirtualNode.Status> status) {
    Optional<StatusReport.LastError> engine =
        status.flatMap(
            s ->
                s.lastError()
                    .map(
                        m ->
                            new StatusReport.LastError(
                                m, s.lastErrorAt().orElse(Instant.now()).toString())));
    return engine
        .or(
            () ->
                state
                    .engine()
                    .map(p -> new StatusReport.LastError(p.message(), p.since().toString())))
        .or(
            () ->
                status.flatMap(
                    s ->
                        s.lastApiError()
                            .map(
                                m ->
                                    new StatusReport.LastError(
                                        m, s.lastApiErrorAt().orElse(Instant.now()).toString()))));
  }

  private Optional<Lease> ownershipLease() {
    try {
      return Optional.ofNullable(
              client
                  .leases()
                  .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
                  .withName(VirtualNode.OWNERSHIP_LEASE)
                  .get())
          .filter(l -> l.getSpec() != null);
    } catch (RuntimeException e) {
      LOG.debug("ownership Lease not readable for the status report", e);
      return Optional.empty();
    }
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
