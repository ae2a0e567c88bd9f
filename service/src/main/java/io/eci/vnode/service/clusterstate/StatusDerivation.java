package io.eci.vnode.service.clusterstate;

import io.eci.vnode.service.clusterstate.StatusView.DeregistrationProgress;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Derives what the status endpoint shows from the facts it rests on, so that it never says more
 * than they do: a cluster's registration decides the state first (deregistering, unmanaged,
 * paused); only a managed, running cluster with a current report saying so is {@code running}.
 */
final class StatusDerivation {

  /**
   * What the registry says of the cluster.
   *
   * @param managed whether its mode is managed
   * @param paused whether its owner paused it
   */
  record Registration(
      boolean managed,
      boolean paused,
      Optional<StatusView.HandoffView> handoff,
      Optional<StatusView.AgentView> agent) {

    Registration(boolean managed, boolean paused) {
      this(managed, paused, Optional.empty(), Optional.empty());
    }
  }

  private StatusDerivation() {}

  /**
   * @param claimOwner the replica holding the cluster's claim now, if any
   * @param report the last report, if any
   * @param deregistration the deregistration under way, if any
   */
  static StatusView derive(
      UUID clusterId,
      Registration registration,
      Optional<String> claimOwner,
      Optional<ClusterStatus> report,
      Optional<DeregistrationProgress> deregistration,
      Instant now) {
    boolean current = report.map(r -> isCurrent(r, now)).orElse(false);
    String state = state(registration, deregistration.isPresent(), current, report, claimOwner);
    boolean hosted = state.equals("running") || state.equals("failing");
    // While the node changes hands, whoever reported last (and recently) says whether it is
    // ready; once the agent runs it, only the agent's own report does (its heartbeats land in the
    // same report): never a replica's from before the switch.
    boolean byAgent =
        state.equals("unmanaged")
            && current
            && registration.agent().map(a -> a.holder().equals(report.get().owner)).orElse(false);
    Boolean nodeReady;
    String owner;
    if (state.equals("handoff") || state.equals("unmanaged")) {
      boolean shown = state.equals("handoff") ? current : byAgent;
      nodeReady = shown ? report.get().nodeReady : null;
      owner = shown ? report.get().owner : null;
    } else {
      nodeReady = report.isEmpty() ? null : state.equals("running");
      owner = hosted ? claimOwner.orElse(null) : null;
    }
    StatusView.HandoffView handoff = registration.handoff().orElse(null);
    StatusView.AgentView agent = registration.agent().orElse(null);
    if (report.isEmpty()) {
      return new StatusView(
          clusterId,
          state,
          false,
          null,
          null,
          null,
          owner,
          null,
          null,
          null,
          null,
          deregistration.orElse(null),
          handoff,
          agent);
    }
    ClusterStatus s = report.get();
    return new StatusView(
        clusterId,
        state,
        true,
        !current,
        nodeReady,
        s.lastHeartbeatAt,
        owner,
        new PodCounts(s.podsPending, s.podsRunning, s.podsSucceeded, s.podsFailed),
        s.lastApiError == null ? null : LastError.of(s.lastApiError, s.lastApiErrorAt),
        eciError(s),
        s.updatedAt,
        deregistration.orElse(null),
        handoff,
        agent);
  }

  private static String state(
      Registration registration,
      boolean deregistering,
      boolean current,
      Optional<ClusterStatus> report,
      Optional<String> claimOwner) {
    if (deregistering) {
      return "deregistering";
    }
    if (registration.paused()) {
      // Nobody takes the Lease while paused: a switch of mode waits for the resume.
      return "paused";
    }
    if (registration.handoff().map(StatusView.HandoffView::underWay).orElse(false)) {
      return "handoff";
    }
    if (!registration.managed()) {
      return "unmanaged";
    }
    boolean ready = current && claimOwner.isPresent() && report.get().nodeReady;
    return ready ? "running" : "failing";
  }

  /** A report is current until two hosting periods after it was written. */
  private static boolean isCurrent(ClusterStatus s, Instant now) {
    Instant until =
        s.currentUntil != null ? s.currentUntil : s.updatedAt.plus(ClusterStateStore.CURRENT_FOR);
    return now.isBefore(until);
  }

  private static LastError eciError(ClusterStatus s) {
    if (s.lastEciError == null) {
      return null;
    }
    return new LastError(
        s.lastEciError,
        s.lastEciErrorAt,
        s.lastEciErrorCode,
        s.lastEciErrorFirstAt,
        s.lastEciErrorCount == null ? null : s.lastEciErrorAt,
        s.lastEciErrorCount,
        s.eciCircuitOpenSince);
  }
}
