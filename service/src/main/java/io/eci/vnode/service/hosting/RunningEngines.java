package io.eci.vnode.service.hosting;

import io.eci.vnode.service.claims.Relinquished;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines one replica runs, by cluster. An engine's meters and its ledger come and go with it;
 * stopping one closes its client too.
 */
final class RunningEngines {

  private static final Logger LOG = LoggerFactory.getLogger(RunningEngines.class);

  private final Map<UUID, HostedEngine> engines = new ConcurrentHashMap<>();
  private final HostingMetrics metrics;
  private final StatusReporter reporter;

  RunningEngines(HostingMetrics metrics, StatusReporter reporter) {
    this.metrics = metrics;
    this.reporter = reporter;
  }

  /** Whether an engine runs for the cluster. */
  boolean runs(UUID clusterId) {
    return engines.containsKey(clusterId);
  }

  Optional<HostedEngine> get(UUID clusterId) {
    return Optional.ofNullable(engines.get(clusterId));
  }

  List<UUID> ids() {
    return List.copyOf(engines.keySet());
  }

  Collection<HostedEngine> all() {
    return List.copyOf(engines.values());
  }

  /**
   * Starts a built engine and runs it from now on.
   *
   * @throws RuntimeException when it cannot start; it is then discarded and its client closed
   */
  void start(HostedEngine hosted) {
    UUID clusterId = hosted.claim().clusterId();
    engines.put(clusterId, hosted);
    metrics.hosting(hosted.cluster(), hosted.engine());
    reporter.started(clusterId);
    try {
      hosted.engine().start();
    } catch (RuntimeException e) {
      engines.remove(clusterId);
      metrics.stopped(clusterId);
      hosted.client().close();
      throw e;
    }
  }

  /**
   * Stops a cluster's engine, if one runs. When its owner relinquished it ({@code why}: paused,
   * deregistering), the node is left NotReady saying so; when the claim only moved ({@code why}
   * null) or the cluster switched to unmanaged, the node is left as it is for the next owner. The
   * report is bounded by the client's timeouts.
   */
  void stop(UUID clusterId, Relinquished why) {
    HostedEngine hosted = engines.remove(clusterId);
    reporter.stopped(clusterId);
    metrics.stopped(clusterId);
    if (hosted != null) {
      close(hosted, why);
    }
  }

  /** Drops every engine without a word to its cluster or the database: what a crash looks like. */
  void abandonAll() {
    engines.values().forEach(h -> close(h, null));
    engines.clear();
  }

  private static void close(HostedEngine hosted, Relinquished why) {
    try {
      // Switched to unmanaged: the agent takes the node over within seconds. Marking it NotReady
      // meanwhile would make the node controller mark every pod on it NotReady too; the released
      // Lease is the handoff.
      if (why == null || why == Relinquished.UNMANAGED) {
        hosted.engine().close();
      } else {
        hosted.engine().closeNotReady(why.reason(), why.message());
      }
    } catch (RuntimeException e) {
      LOG.warn("engine of {} did not close cleanly: {}", hosted.cluster(), e.toString());
    } finally {
      hosted.client().close();
    }
  }
}
