package io.eci.vnode.service.agent;

import io.eci.vnode.service.hosting.HostedClusters;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long polls of agents waiting for their cluster's registration to change. One thread checks
 * every waiting cluster's version in one statement each period, so a change made on any replica
 * reaches a waiting agent within a period, and a thousand waiting agents hold no thread and cost
 * one query a period.
 */
@ApplicationScoped
class ConfigWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

  private record Waiter(long version, Instant until, CompletableFuture<Void> done) {}

  private final HostedClusters clusters;
  private final Map<UUID, List<Waiter>> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "agent-config-watch");
            t.setDaemon(true);
            return t;
          });

  // Where a long poll's answer is built once it wakes: off the watch's one thread.
  private final ExecutorService answers =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "agent-config-answer");
            t.setDaemon(true);
            return t;
          });

  ConfigWatch(HostedClusters clusters, AgentApiConfig config) {
    this.clusters = clusters;
    long period = config.watchPeriod().toMillis();
    ticker.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
    answers.shutdown();
    waiting.values().forEach(list -> list.forEach(w -> w.done().complete(null)));
  }

  /** The threads that build the answers of woken long polls. */
  Executor answers() {
    return answers;
  }

  /**
   * Completes when the cluster's version is no longer {@code version} (or it is gone), or at {@code
   * until}, whichever comes first; never exceptionally.
   */
  CompletableFuture<Void> change(UUID clusterId, long version, Instant until) {
    Waiter waiter = new Waiter(version, until, new CompletableFuture<>());
    waiting.computeIfAbsent(clusterId, k -> new CopyOnWriteArrayList<>()).add(waiter);
    return waiter.done();
  }

  private void check() {
    if (waiting.isEmpty()) {
      return;
    }
    try {
      Map<UUID, Long> versions = clusters.versions(List.copyOf(waiting.keySet()));
      Instant now = Instant.now();
      for (UUID clusterId : List.copyOf(waiting.keySet())) {
        Long version = versions.get(clusterId);
        // Atomic with change()'s computeIfAbsent: a waiter added meanwhile is never dropped.
        waiting.computeIfPresent(
            clusterId,
            (id, waiters) -> {
              for (Waiter w : waiters) {
                if (version == null || version != w.version() || !now.isBefore(w.until())) {
                  w.done().complete(null);
                  waiters.remove(w);
                }
              }
              return waiters.isEmpty() ? null : waiters;
            });
      }
    } catch (RuntimeException e) {
      // The next period tries again; a waiting agent at worst waits out its poll.
      LOG.warn("could not check the registrations agents wait on: {}", e.toString());
    }
  }
}
