package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.service.claims.Deregistrations;
import io.eci.vnode.service.cluster.Drain.LeftInstance;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A draining cluster's ECI instances, reached through the cluster's {@link ClusterGuards} ECI guard
 * (its breaker keeps the cause it opened for) rather than a second {@link GuardedInstances}.
 */
final class DrainedInstances {

  private final ClusterGuards guards;
  private final ClusterConnections connections;
  private final Deregistrations queue;
  private final Map<UUID, Set<String>> deleted = new ConcurrentHashMap<>();

  DrainedInstances(ClusterGuards guards, ClusterConnections connections, Deregistrations queue) {
    this.guards = guards;
    this.connections = connections;
    this.queue = queue;
  }

  /**
   * Deletes every instance ECI lists for the cluster; those it refuses are left. When ECI cannot
   * even list them, every instance the pod ledger knows is left.
   */
  List<LeftInstance> deleteWhatCanBe(HostedCluster cluster) {
    List<Instance> listed;
    try {
      listed = instances(cluster);
    } catch (RuntimeException e) {
      return queue.ledgerInstances(cluster.id()).stream()
          .map(
              l ->
                  new LeftInstance(
                      l.instanceId(),
                      Map.of(
                          InstanceTags.CLUSTER, cluster.id().toString(),
                          InstanceTags.NAMESPACE, l.namespace(),
                          InstanceTags.POD_NAME, l.podName(),
                          InstanceTags.POD_UID, l.podUid()),
                      "ledger"))
          .toList();
    }
    List<LeftInstance> left = new ArrayList<>();
    for (Instance instance : listed) {
      try {
        if (!"Terminating".equals(instance.rawStatus())) {
          delete(cluster, instance.id());
        }
      } catch (RuntimeException e) {
        left.add(new LeftInstance(instance.id(), instance.tags(), "eci"));
      }
    }
    return left;
  }

  @SuppressWarnings("unchecked")
  List<Instance> instances(HostedCluster cluster) {
    return guards.call(
        cluster.id(),
        Boundary.ECI,
        List.class,
        () ->
            connections
                .unguardedEci(cluster)
                .describeByTag(InstanceTags.CLUSTER, cluster.id().toString()));
  }

  /**
   * Deletes the instance unless this replica already asked ECI to (a deleted instance lists as
   * Running for a moment before Terminating): each instance is deleted once.
   */
  void delete(HostedCluster cluster, String instanceId) {
    Set<String> asked = deleted.computeIfAbsent(cluster.id(), id -> ConcurrentHashMap.newKeySet());
    if (asked.contains(instanceId)) {
      return;
    }
    try {
      guards.run(
          cluster.id(), Boundary.ECI, () -> connections.unguardedEci(cluster).delete(instanceId));
    } catch (EciException e) {
      if (e.kind() != EciException.Kind.NOT_FOUND) {
        throw e;
      }
    }
    asked.add(instanceId);
  }

  /** Forgets which instances of the cluster were deleted, once its deregistration ended. */
  void forget(UUID clusterId) {
    deleted.remove(clusterId);
  }

  static List<String> pods(List<Instance> instances) {
    return instances.stream()
        .map(
            i ->
                i.tags().getOrDefault(InstanceTags.NAMESPACE, "?")
                    + "/"
                    + i.tags().getOrDefault(InstanceTags.POD_NAME, i.id()))
        .toList();
  }
}
