package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One pod of the ledger: which ECI instance runs it, where, and how it stands. Once known, an
 * instance id, a zone and a deletion time are kept when a later row leaves them null.
 *
 * @param clusterId the cluster
 * @param epoch the writer's claim epoch; the row is dropped if it is no longer current
 * @param podUid the pod's UID
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param instanceId the ECI container group id, or null before it is created
 * @param zone the zone the instance runs in, or null before it is known
 * @param phase the pod's phase
 * @param createdAt when the pod was created
 * @param deletedAt when the pod was deleted, or null while it exists
 */
public record PodRow(
    UUID clusterId,
    long epoch,
    String podUid,
    String namespace,
    String name,
    String instanceId,
    String zone,
    PodPhase phase,
    Instant createdAt,
    Instant deletedAt) {

  public PodRow {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
