package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Empties a cluster of everything that runs for it before its registration is deleted, so that no
 * ECI instance outlives it. Hosting implements it; the registry only asks for it.
 */
public interface Drain {

  /**
   * An ECI instance a forced deregistration could not delete.
   *
   * @param id the instance's id
   * @param tags its tags (cluster, pod namespace, name and UID), to find it in the ECI console
   * @param source {@code eci} when ECI listed it, {@code ledger} when ECI could not be asked and
   *     the pod ledger says it may still run
   */
  record LeftInstance(String id, Map<String, String> tags, String source) {}

  /**
   * Refuses, listing the pods, when ECI instances of the tenant's cluster still run.
   *
   * @throws ApiProblem 409 listing them, or 503 when ECI cannot be asked
   */
  void refuseWhilePodsRun(String tenantId, UUID clusterId);

  /**
   * Marks the cluster deregistering and queues its drain, which finishes in the background
   * (retrying ECI with back-off, surviving a restart) by deleting the registration.
   *
   * @param keepPods call the deregistration off, rather than delete instances, should one still run
   *     once the engine stopped
   * @return since when it is being deregistered, or null if the cluster is not registered
   */
  Instant begin(UUID clusterId, String actor, boolean keepPods);

  /**
   * Deregisters the tenant's cluster at once, however ECI answers: its instances are deleted where
   * ECI lets them be, its node, webhook and Leases removed and the registration deleted.
   *
   * @return the instances that could not be deleted, also written to the audit log
   */
  List<LeftInstance> force(String tenantId, UUID clusterId, String actor);
}
