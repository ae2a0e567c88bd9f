package io.eci.vnode.service.clusterstate;

import java.time.Instant;

/**
 * A pod of the ledger as the API shows it.
 *
 * @param uid the pod's UID
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param instanceId the ECI container group that runs it, once created
 * @param zone the zone of that instance, once known
 * @param phase Pending, Running, Succeeded, Failed or Unknown
 * @param createdAt when the pod was created
 * @param deletedAt when the pod was deleted; absent while it exists
 * @param updatedAt when this entry last changed
 */
public record PodView(
    String uid,
    String namespace,
    String name,
    String instanceId,
    String zone,
    String phase,
    Instant createdAt,
    Instant deletedAt,
    Instant updatedAt) {

  static PodView of(ClusterPod p) {
    return new PodView(
        p.podUid,
        p.namespace,
        p.name,
        p.instanceId,
        p.zone,
        p.phase,
        p.createdAt,
        p.deletedAt,
        p.updatedAt);
  }
}
