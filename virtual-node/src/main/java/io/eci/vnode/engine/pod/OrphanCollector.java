package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import java.util.Collection;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the instances no pod needs: tagged with this cluster and node, and either their pod is
 * gone or it has ended and its pod runs as another instance (a zone failover's leftover). One
 * already stopping is left to stop: a deleted pod's instance may outlast the pod's grace period.
 * The cluster tag is the fence: no other instance is ever touched.
 */
final class OrphanCollector {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanCollector.class);

  private final String clusterId;
  private final String nodeName;
  private final ContainerInstances eci;

  OrphanCollector(String clusterId, String nodeName, ContainerInstances eci) {
    this.clusterId = clusterId;
    this.nodeName = nodeName;
    this.eci = eci;
  }

  /**
   * @param instances instances just described, all of them in the status read that began after the
   *     cache listed {@code livePods}
   * @param livePods the UIDs of the node's pods
   * @param instancesOfLivePods the instances those pods run as
   */
  void collect(
      Collection<Instance> instances, Set<String> livePods, Set<String> instancesOfLivePods) {
    for (Instance instance : instances) {
      boolean ours =
          clusterId.equals(instance.tags().get(InstanceTags.CLUSTER))
              && nodeName.equals(instance.tags().get(InstanceTags.NODE));
      boolean podGone = !livePods.contains(instance.tags().get(InstanceTags.POD_UID));
      boolean replaced =
          !podGone
              && !instancesOfLivePods.contains(instance.id())
              && instance.status().filter(EciStatus::isFinal).isPresent();
      boolean stopping = instance.status().filter(s -> s == EciStatus.TERMINATING).isPresent();
      if (ours && !stopping && (podGone || replaced)) {
        LOG.info(
            "deleting instance {} of pod uid {}: {}",
            instance.id(),
            instance.tags().get(InstanceTags.POD_UID),
            podGone ? "its pod is gone" : "it was replaced");
        eci.delete(instance.id());
      }
    }
  }
}
