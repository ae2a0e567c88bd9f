package io.eci.vnode.agent.sync;

import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.engine.EngineSupervisor;
import io.eci.vnode.agent.link.AgentApi;
import io.eci.vnode.agent.link.ConfigAnswer;
import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.engine.node.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent's configuration current: asks the service once at start, runs from the cached
 * Secret when it cannot answer (the cluster's pods never wait for the service), then long-polls so
 * a change arrives within about a second. Every new configuration is cached before it is put in
 * force.
 */
@ApplicationScoped
public class ConfigLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoop.class);

  /** The long poll's wait: under the service's 30 s limit and common proxies' idle timeouts. */
  static final Duration WAIT = Duration.ofSeconds(25);

  /** How long after a failed request the next one goes out. */
  static final Duration AFTER_FAILURE = Duration.ofSeconds(2);

  private final AgentApi api;
  private final ConfigCache cache;
  private final EngineSupervisor supervisor;
  private final AgentState state;
  private final OutageLog outage;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Optional<String> etag = Optional.empty();
  private Thread thread;

  ConfigLoop(AgentApi api, ConfigCache cache, EngineSupervisor supervisor, AgentState state) {
    this.api = api;
    this.cache = cache;
    this.supervisor = supervisor;
    this.state = state;
    this.outage = OutageLog.of("the control service's agent API", OutageLog.SUMMARY_EVERY);
  }

  /** Starts the loop on a thread of its own. */
  public synchronized void start() {
    thread = new Thread(this::run, "agent-config");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    boolean first = true;
    while (stopped.getCount() > 0) {
      ConfigAnswer answer = api.config(etag, first ? Duration.ZERO : WAIT);
      if (stopped.getCount() == 0) {
        return; // stopping interrupted the request: no outage to report
      }
      boolean failed;
      try {
        failed = !handle(answer);
        if (failed && state.source().isEmpty()) {
          runFromCache();
        }
      } catch (RuntimeException e) {
        // Never let one bad round end the loop: the agent would not see a toggle again.
        LOG.warn("configuration round failed: {}", OutageLog.describe(e), e);
        failed = true;
      }
      first = false;
      if (failed && pause(AFTER_FAILURE)) {
        return;
      }
    }
  }

  /** Acts on one answer; false when the service could not be used. */
  boolean handle(ConfigAnswer answer) {
    if (answer instanceof ConfigAnswer.Changed changed) {
      outage.succeeded();
      state.serviceAnswered();
      etag = Optional.ofNullable(changed.etag());
      keep(changed);
      state.configured(AgentState.Source.SERVICE, changed.config().version());
      LOG.info("configuration {} from the service", changed.config());
      supervisor.apply(changed.config());
      return true;
    }
    if (answer instanceof ConfigAnswer.Unchanged) {
      outage.succeeded();
      state.serviceAnswered();
      return true;
    }
    if (answer instanceof ConfigAnswer.Refused refused) {
      outage.failed(refused.message());
      state.serviceRefused(refused.message());
      return false;
    }
    String message = ((ConfigAnswer.Failed) answer).message();
    outage.failed(message);
    state.serviceUnreachable(message);
    return false;
  }

  private void keep(ConfigAnswer.Changed changed) {
    if (supervisor.isDraining()) {
      return; // the drain deletes the cache last; writing it again would leave credentials behind
    }
    try {
      cache.write(changed.json(), Optional.ofNullable(changed.etag()));
      state.apiServerProblem(null);
    } catch (RuntimeException e) {
      // The configuration is still put in force; only a restart during an outage misses it.
      state.apiServerProblem("the configuration cache could not be written: " + e.getMessage());
      LOG.warn("configuration cache {} not written: {}", ConfigCache.NAME, OutageLog.describe(e));
    }
  }

  private void runFromCache() {
    try {
      cache
          .read()
          .ifPresentOrElse(
              cached -> {
                LOG.info(
                    "the service cannot be asked; running from the cached {}", cached.config());
                etag = cached.etag();
                state.configured(AgentState.Source.CACHE, cached.config().version());
                supervisor.apply(cached.config());
              },
              () -> LOG.warn("the service cannot be asked and no configuration is cached"));
    } catch (RuntimeException e) {
      state.apiServerProblem("the configuration cache could not be read: " + e.getMessage());
      LOG.warn("configuration cache {} not read: {}", ConfigCache.NAME, OutageLog.describe(e));
    }
  }

  /** Waits {@code pause} unless stopped first; true when stopped. */
  private boolean pause(Duration pause) {
    try {
      return stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Whether the loop runs as it should: not started (settings missing), running, or stopped. */
  public synchronized boolean alive() {
    return thread == null || thread.isAlive() || stopped.getCount() == 0;
  }

  /** Ends the loop. */
  public synchronized void stop() {
    stopped.countDown();
    if (thread != null) {
      thread.interrupt();
    }
  }
}
