package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.ApiProblem;
import java.util.UUID;

/**
 * What a change of a cluster's mode must pass, and what it sets going: the handoff between the
 * service's engine and the cluster's agent. The agents' side implements it, as it knows whether the
 * cluster's agent is alive; the registry only asks.
 */
public interface ModeSwitches {

  /**
   * The tenant's cluster switches from {@code from} to {@code to}, in the current transaction: the
   * handoff begins when it commits.
   *
   * @param force switch to unmanaged even though no agent of the cluster was heard from lately (new
   *     pods then wait until one runs)
   * @throws ApiProblem 409 when switching to unmanaged, not forced, and no agent of the cluster
   *     sent a heartbeat in the last minute; it says how to install one
   */
  void switching(String tenantId, UUID clusterId, Mode from, Mode to, boolean force, String actor);
}
