package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.engine.pod.PodController.PodRecord;
import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.claims.Claim;
import io.eci.vnode.service.clusterstate.ClusterStateStore;
import io.eci.vnode.service.clusterstate.LastError;
import io.eci.vnode.service.clusterstate.PodCounts;
import io.eci.vnode.service.clusterstate.PodPhases;
import io.eci.vnode.service.clusterstate.PodRow;
import io.eci.vnode.service.clusterstate.StatusRow;
import io.eci.vnode.service.clusterstate.Written;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what one replica's engines report, once a round: one batch with every cluster's status (an
 * engine that could not start reports why) and one with the pods whose ledger row changed since it
 * was last written. Both are fenced by the claims' epochs; the clusters the fence dropped are
 * handed back, for the host to stop their engines.
 */
final class StatusReporter {

  /** Why a claimed cluster's engine could not start; shown in its status until it does. */
  private record StartFailure(
      Claim claim, boolean apiServer, String message, Instant at, Instant since) {}

  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

  private final ClusterStateStore state;
  private final HostingMetrics metrics;
  private final ClusterGuards guards;
  private final Duration currentFor;
  private final Map<UUID, StartFailure> failures = new ConcurrentHashMap<>();
  private final Duration summaryEvery;
  private final String replica;
  private final Map<UUID, OutageLog> startOutages = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, PodRow>> ledgerWritten = new ConcurrentHashMap<>();

  /**
   * @param guards where each cluster's ECI trouble is kept
   * @param period the hosting period: a status is current for two of them
   * @param summaryEvery how often a lasting failure to start is summed up in the log
   * @param replica the replica whose engines report
   */
  StatusReporter(
      ClusterStateStore state,
      HostingMetrics metrics,
      ClusterGuards guards,
      Duration period,
      Duration summaryEvery,
      String replica) {
    this.state = state;
    this.replica = replica;
    this.summaryEvery = summaryEvery;
    this.metrics = metrics;
    this.guards = guards;
    this.currentFor = period.multipliedBy(2);
  }

  /**
   * Reports from now on that the claimed cluster's engine could not start, and why. Logged as any
   * outage is ({@link OutageLog}): one WARN with the cause when it starts failing, then one summary
   * per period while it goes on.
   */
  void failed(Claim claim, boolean apiServer, String message) {
    UUID id = claim.clusterId();
    Instant now = Instant.now();
    failures.compute(
        id,
        (k, before) ->
            new StartFailure(
                claim, apiServer, message, now, before == null ? now : before.since()));
    startOutages
        .computeIfAbsent(
            id,
            k ->
                new OutageLog(LOG, "engine start of cluster " + k, summaryEvery, Clock.systemUTC()))
        .failed(message);
  }

  /** The cluster's engine started: its own status replaces the failure. */
  void started(UUID clusterId) {
    StartFailure failure = failures.remove(clusterId);
    startOutages.remove(clusterId);
    if (failure != null) {
      LOG.info(
          "engine of cluster {} started after failing to for {} s",
          clusterId,
          Duration.between(failure.since(), Instant.now()).toSeconds());
    }
  }

  /** Keeps reporting failures only for clusters this replica still holds. */
  void retainFailures(Set<UUID> held) {
    failures.keySet().retainAll(held);
    startOutages.keySet().retainAll(held);
  }

  /** The cluster's engine stopped: a new one writes its whole ledger again. */
  void stopped(UUID clusterId) {
    ledgerWritten.remove(clusterId);
  }

  /**
   * Writes the status and the changed ledger rows of every engine, and the status of every failed
   * start.
   *
   * @return the clusters whose rows the fence dropped: this replica lost them
   */
  Set<UUID> report(Collection<HostedEngine> engines) {
    List<StatusRow> statuses = new ArrayList<>();
    List<PodRow> pods = new ArrayList<>();
    Map<UUID, Map<String, PodRow>> written = new HashMap<>();
    Set<UUID> owning = new HashSet<>();
    for (HostedEngine hosted : engines) {
      VirtualNode.Status s = hosted.engine().status();
      metrics.observe(hosted.cluster(), hosted.engine(), s);
      if (s.owner()) {
        owning.add(hosted.claim().clusterId());
      }
      statuses.add(statusRow(hosted.claim(), s));
      Map<String, PodRow> before = ledgerWritten.getOrDefault(hosted.claim().clusterId(), Map.of());
      Map<String, PodRow> now = new HashMap<>();
      for (PodRecord pod : hosted.engine().pods()) {
        PodRow row = podRow(hosted.claim(), pod);
        now.put(pod.uid(), row);
        if (!row.equals(before.get(pod.uid()))) {
          pods.add(row);
        }
      }
      written.put(hosted.claim().clusterId(), now);
    }
    failures.values().forEach(f -> statuses.add(statusRow(f)));
    Written statusWrite = state.writeStatuses(statuses, currentFor);
    Written podWrite = state.writePods(pods);
    written.forEach(
        (id, rows) -> {
          if (!podWrite.fenced().contains(id)) {
            ledgerWritten.put(id, rows);
          }
        });
    Set<UUID> fenced = new HashSet<>(statusWrite.fenced());
    fenced.addAll(podWrite.fenced());
    owning.removeAll(fenced);
    try {
      state.engineTookOver(owning, replica);
    } catch (RuntimeException e) {
      // A handoff's end is recorded at the next round; it must never cost this round's claims.
      LOG.warn("could not record the end of handoffs to {}: {}", replica, e.toString());
    }
    return fenced;
  }

  private StatusRow statusRow(Claim claim, VirtualNode.Status s) {
    Optional<LastError> eci =
        underlying(claim.clusterId())
            .or(
                () ->
                    s.lastError().map(m -> LastError.of(m, s.lastErrorAt().orElse(Instant.now()))));
    return new StatusRow(
        claim.clusterId(),
        claim.epoch(),
        s.nodeReady(),
        s.owner() ? Instant.now() : null,
        PodCounts.fromPhases(s.podsByPhase()),
        s.lastApiError().map(m -> LastError.of(m, s.lastApiErrorAt().orElse(Instant.now()))),
        eci);
  }

  private StatusRow statusRow(StartFailure f) {
    Optional<LastError> error = Optional.of(LastError.of(f.message(), f.at()));
    return new StatusRow(
        f.claim().clusterId(),
        f.claim().epoch(),
        false,
        null,
        PodCounts.NONE,
        f.apiServer() ? error : Optional.empty(),
        f.apiServer() ? Optional.empty() : underlying(f.claim().clusterId()).or(() -> error));
  }

  /**
   * The cluster's last underlying ECI failure as its guards saw it: never only "the breaker is
   * open", and with its code, first and last time and count.
   */
  private Optional<LastError> underlying(UUID clusterId) {
    return guards
        .trouble(clusterId)
        .snapshot()
        .map(
            c ->
                new LastError(
                    c.describe(),
                    c.lastSeenAt(),
                    c.code(),
                    c.firstSeenAt(),
                    c.lastSeenAt(),
                    c.count(),
                    c.circuitOpenSince()));
  }

  private static PodRow podRow(Claim claim, PodRecord pod) {
    return new PodRow(
        claim.clusterId(),
        claim.epoch(),
        pod.uid(),
        pod.namespace(),
        pod.name(),
        pod.instanceId().orElse(null),
        pod.zone().orElse(null),
        PodPhases.fromWire(pod.phase()).orElse(PodPhase.UNKNOWN),
        pod.createdAt(),
        pod.deletedAt().orElse(null));
  }
}
