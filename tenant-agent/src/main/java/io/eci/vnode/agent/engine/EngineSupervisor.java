package io.eci.vnode.agent.engine;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.agent.webhook.Admissions;
import io.eci.vnode.agent.webhook.WebhookRegistration;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.engine.selection.AdmissionHandler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent's one engine while the configuration in force says unmanaged and not paused, and
 * no drain has begun; otherwise closes it, which gives the ownership Lease up at once so the
 * service's engine takes over (the Lease, not a timer, fences the two). A change of what shapes the
 * engine restarts it; new credentials of the same kind are swapped into the running one.
 */
@ApplicationScoped
public class EngineSupervisor implements Admissions {

  private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);

  /** How soon an engine that could not be built is tried again. */
  static final long RETRY_SECONDS = 5;

  private final EngineBuilder builder;
  private final WebhookRegistration webhook;
  private final AgentState state;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "engine-retry");
            t.setDaemon(true);
            return t;
          });
  private final OutageLog startFailures =
      OutageLog.of("the virtual node's engine start", OutageLog.SUMMARY_EVERY);

  private RemoteConfig config;
  private boolean draining;
  private RunningEngine running;
  private boolean closed;

  EngineSupervisor(EngineBuilder builder, WebhookRegistration webhook, AgentState state) {
    this.builder = builder;
    this.webhook = webhook;
    this.state = state;
  }

  /** Puts {@code next} in force: starts, restarts, keeps or closes the engine accordingly. */
  public synchronized void apply(RemoteConfig next) {
    config = next;
    reconcile();
  }

  /** A drain began (or the mark is gone): no engine runs while it is set. */
  public synchronized void draining(boolean marked) {
    if (draining != marked) {
      LOG.info(marked ? "a drain began: closing the virtual node" : "the drain mark is gone");
      draining = marked;
      reconcile();
    }
  }

  /** The engine running now, if any. */
  public synchronized Optional<RunningEngine> running() {
    return Optional.ofNullable(running);
  }

  @Override
  public Optional<AdmissionHandler> current() {
    return running().map(engine -> engine.node().admission());
  }

  /** The configuration in force, if any. */
  public synchronized Optional<RemoteConfig> config() {
    return Optional.ofNullable(config);
  }

  /** Whether a drain mark keeps the engine closed. */
  public synchronized boolean isDraining() {
    return draining;
  }

  private void reconcile() {
    if (closed) {
      return;
    }
    if (config == null || !config.runsEngine() || draining) {
      stop(config == null ? "no configuration" : why(config));
      return;
    }
    if (running != null && running.config().shape().equals(config.shape())) {
      refresh();
      return;
    }
    if (running != null) {
      stop("its configuration changed to version " + config.version());
    }
    start();
  }

  private void refresh() {
    try {
      builder.refreshCredentials(running, config);
      state.engineProblem(null);
    } catch (RuntimeException e) {
      state.engineProblem(e.getMessage());
      LOG.warn("new ECI credentials of version {} not used: {}", config.version(), e.getMessage());
    }
  }

  private void start() {
    try {
      RunningEngine engine = builder.build(config);
      engine.node().start();
      running = engine;
      state.engineProblem(null);
      startFailures.succeeded();
      LOG.info(
          "virtual node {} started for configuration version {} as {}",
          engine.node().nodeName(),
          config.version(),
          engine.holder().identity());
      webhook.install();
    } catch (RuntimeException e) {
      state.engineProblem(OutageLog.describe(e));
      startFailures.failed(e);
      RemoteConfig tried = config;
      retries.schedule(() -> retry(tried), RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  private synchronized void retry(RemoteConfig tried) {
    if (running == null && config == tried) {
      reconcile();
    }
  }

  private void stop(String why) {
    if (running == null) {
      return;
    }
    RunningEngine engine = running;
    running = null;
    // The webhook first: it steers pods to a node whose engine is going away. Only while the
    // configuration is the agent's own; in managed mode the service's replaces it by name.
    webhook.removeIfOurs();
    engine.node().close();
    LOG.info("virtual node {} closed: {}", engine.node().nodeName(), why);
  }

  private static String why(RemoteConfig config) {
    if (config.paused()) {
      return "the cluster is paused";
    }
    return "the cluster is in " + config.mode() + " mode: the service runs its virtual node";
  }

  @PreDestroy
  synchronized void close() {
    closed = true;
    retries.shutdownNow();
    if (running != null) {
      running.node().close();
      running = null;
    }
  }
}
