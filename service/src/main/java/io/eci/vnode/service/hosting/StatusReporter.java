package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
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

/**
 * Writes what one replica's engines report, once a round: one batch with every cluster's status (an
 * engine that could not start reports why) and one with the pods whose ledger row changed since it
 * was last written. Both are fenced by the claims' epochs; the clusters the fence dropped are
 * handed back, for the host to stop their engines.
 */
final class StatusReporter {

  /** Why a claimed cluster's engine could not start; shown in its status until it does. */
  private record StartFailure(Claim claim, boolean apiServer, String message, Instant at) {}

  private final ClusterStateStore state;
  private final HostingMetrics metrics;
  private final Map<UUID, StartFailure> failures = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, PodRow>> ledgerWritten = new ConcurrentHashMap<>();

  StatusReporter(ClusterStateStore state, HostingMetrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  /** Reports from now on that the claimed cluster's engine could not start, and why. */
  void failed(Claim claim, boolean apiServer, String message) {
    failures.put(claim.clusterId(), new StartFailure(claim, apiServer, message, Instant.now()));
  }

  /** The cluster's engine started: its own status replaces the failure. */
  void started(UUID clusterId) {
    failures.remove(clusterId);
  }

  /** Keeps reporting failures only for clusters this replica still holds. */
  void retainFailures(Set<UUID> held) {
    failures.keySet().retainAll(held);
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
    for (HostedEngine hosted : engines) {
      VirtualNode.Status s = hosted.engine().status();
      metrics.observe(hosted.cluster(), hosted.engine(), s);
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
    Written statusWrite = state.writeStatuses(statuses);
    Written podWrite = state.writePods(pods);
    written.forEach(
        (id, rows) -> {
          if (!podWrite.fenced().contains(id)) {
            ledgerWritten.put(id, rows);
          }
        });
    Set<UUID> fenced = new HashSet<>(statusWrite.fenced());
    fenced.addAll(podWrite.fenced());
    return fenced;
  }

  private static StatusRow statusRow(Claim claim, VirtualNode.Status s) {
    return new StatusRow(
        claim.clusterId(),
        claim.epoch(),
        s.nodeReady(),
        s.owner() ? Instant.now() : null,
        PodCounts.fromPhases(s.podsByPhase()),
        s.lastApiError().map(m -> new LastError(m, s.lastApiErrorAt().orElse(Instant.now()))),
        s.lastError().map(m -> new LastError(m, s.lastErrorAt().orElse(Instant.now()))));
  }

  private static StatusRow statusRow(StartFailure f) {
    Optional<LastError> error = Optional.of(new LastError(f.message(), f.at()));
    return new StatusRow(
        f.claim().clusterId(),
        f.claim().epoch(),
        false,
        null,
        PodCounts.NONE,
        f.apiServer() ? error : Optional.empty(),
        f.apiServer() ? Optional.empty() : error);
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
