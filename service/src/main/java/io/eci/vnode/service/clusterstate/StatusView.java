package io.eci.vnode.service.clusterstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A cluster's status as the API shows it. Until whoever runs the cluster's virtual node first
 * reports, only {@code reported: false} is known.
 *
 * @param clusterId the cluster
 * @param reported whether a status was ever reported; the other fields are absent until it was
 * @param nodeReady whether the virtual node takes pods
 * @param lastHeartbeatAt when the node last renewed its Lease
 * @param owner which service replica (or agent) runs the cluster's virtual node
 * @param pods the node's pods by phase
 * @param lastApiError the last failure to reach or use the cluster's API server, if any
 * @param lastEciError the last failed ECI call, if any
 * @param reportedAt when this status was written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusView(
    UUID clusterId,
    boolean reported,
    Boolean nodeReady,
    Instant lastHeartbeatAt,
    String owner,
    PodCounts pods,
    LastError lastApiError,
    LastError lastEciError,
    Instant reportedAt) {

  static StatusView notReported(UUID clusterId) {
    return new StatusView(clusterId, false, null, null, null, null, null, null, null);
  }

  static StatusView of(ClusterStatus s) {
    return new StatusView(
        s.clusterId,
        true,
        s.nodeReady,
        s.lastHeartbeatAt,
        s.owner,
        new PodCounts(s.podsPending, s.podsRunning, s.podsSucceeded, s.podsFailed),
        error(s.lastApiError, s.lastApiErrorAt),
        error(s.lastEciError, s.lastEciErrorAt),
        s.updatedAt);
  }

  private static LastError error(String message, Instant at) {
    return message == null ? null : new LastError(message, at);
  }
}
