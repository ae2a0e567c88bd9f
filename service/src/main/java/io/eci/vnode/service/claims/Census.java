package io.eci.vnode.service.claims;

/**
 * How many replicas are alive and how many clusters are managed, as the database sees them now.
 *
 * @param liveReplicas replicas whose last renewal has not expired
 * @param managedClusters clusters in managed mode, claimed or not
 */
public record Census(int liveReplicas, int managedClusters) {

  /**
   * The most clusters one replica should hold: managed clusters divided among live replicas,
   * rounded up; a replica that has not yet renewed counts itself as the one live replica.
   */
  public int fairShare() {
    int replicas = Math.max(1, liveReplicas);
    return (managedClusters + replicas - 1) / replicas;
  }
}
