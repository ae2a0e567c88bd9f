package io.eci.vnode.service.clusterstate;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A snapshot of one cluster's status, written whole: every field replaces the stored one (an empty
 * error clears it). The tenant and the owner are not part of it: the store takes both from the
 * claim the epoch names.
 *
 * @param clusterId the cluster
 * @param epoch the writer's claim epoch; the row is dropped if it is no longer current
 * @param nodeReady whether the virtual node takes pods
 * @param lastHeartbeatAt when the engine last renewed the node's Lease, or null if it never did
 * @param pods the node's pods by phase
 * @param lastApiError the last failure to reach or use the cluster's API server
 * @param lastEciError the last failure of an ECI call
 */
public record StatusRow(
    UUID clusterId,
    long epoch,
    boolean nodeReady,
    Instant lastHeartbeatAt,
    PodCounts pods,
    Optional<LastError> lastApiError,
    Optional<LastError> lastEciError) {

  public StatusRow {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(pods, "pods");
    Objects.requireNonNull(lastApiError, "lastApiError");
    Objects.requireNonNull(lastEciError, "lastEciError");
  }
}
