package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.ApiProblem;
import java.util.UUID;

/**
 * Empties a cluster of everything that runs for it before its registration is deleted, so that no
 * ECI instance outlives it. Hosting implements it; the registry only asks for it.
 */
public interface Drain {

  /**
   * Stops hosting the tenant's cluster and deletes its ECI instances and its virtual node,
   * returning once none is left; a cluster that was never hosted has nothing to drain.
   *
   * @param keepPods refuse, listing the pods, rather than delete instances that still run
   * @throws ApiProblem when the cluster cannot be drained now; it then stays registered and
   *     hostable
   */
  void drain(String tenantId, UUID clusterId, boolean keepPods);
}
