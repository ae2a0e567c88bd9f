package io.eci.vnode.agent;

import io.eci.vnode.agent.settings.AgentConfig;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.agent.sync.ConfigLoop;
import io.eci.vnode.agent.sync.DrainMarkWatch;
import io.eci.vnode.agent.sync.Heartbeat;
import io.eci.vnode.agent.webhook.WebhookServer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent's parts in {@code run} mode once its settings are complete: the webhook server,
 * the drain-mark watch, the configuration loop (which starts the engine) and the heartbeat. With
 * settings missing nothing starts and readiness names them.
 */
@ApplicationScoped
public class AgentLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AgentLifecycle.class);

  private final AgentSettings settings;
  private final WebhookServer webhook;
  private final DrainMarkWatch drainMark;
  private final ConfigLoop config;
  private final Heartbeat heartbeat;
  private final AgentState state;

  AgentLifecycle(
      AgentSettings settings,
      WebhookServer webhook,
      DrainMarkWatch drainMark,
      ConfigLoop config,
      Heartbeat heartbeat,
      AgentState state) {
    this.settings = settings;
    this.webhook = webhook;
    this.drainMark = drainMark;
    this.config = config;
    this.heartbeat = heartbeat;
    this.state = state;
  }

  void start(@Observes StartupEvent started) {
    if (settings.config().mode() != AgentConfig.Mode.run) {
      return;
    }
    if (!settings.missing().isEmpty()) {
      LOG.warn("the agent does not run: settings missing: {}", settings.missing());
      return;
    }
    LOG.info(
        "agent {} of cluster {} in namespace {}, control service {}",
        settings.replica(),
        settings.clusterId(),
        settings.namespace(),
        settings.serviceUrl());
    try {
      webhook.start();
      state.webhookProblem(null);
    } catch (RuntimeException e) {
      // The node runs without it: the binder places selected pods, and no configuration points
      // the API server at a webhook that does not answer.
      state.webhookProblem(e.getMessage());
      LOG.error("the admission webhook is not served: {}", e.getMessage());
    }
    drainMark.start();
    config.start();
    heartbeat.start();
  }

  void stop(@Observes ShutdownEvent stopping) {
    config.stop();
  }
}
