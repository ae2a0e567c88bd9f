package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the instances no pod needs: tagged with this cluster and node, and either their pod is
 * gone or it has ended and its pod runs as another instance (a zone failover's leftover). One
 * already stopping is left to stop: a deleted pod's instance may outlast the pod's grace period;
 * and one whose delete the engine has asked for already (by the pod's deletion, or an earlier
 * round) is not deleted again. The cluster tag is the fence: no other instance is ever touched.
 */
final class OrphanCollector {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanCollector.class);

  /**
   * How long an asked-for delete is remembered after reads stop finding its instance: reads are
   * eventually consistent, and a stale one must not make the instance an orphan to delete again.
   */
  static final Duration DELETES_REMEMBERED = Duration.ofMinutes(1);

  private final String clusterId;
  private final String nodeName;
  private final ContainerInstances eci;
  private final KnownPods known;
  private final Clock clock;

  OrphanCollector(
      String clusterId, String nodeName, ContainerInstances eci, KnownPods known, Clock clock) {
    this.clusterId = clusterId;
    this.nodeName = nodeName;
    this.eci = eci;
    this.known = known;
    this.clock = clock;
  }

  /**
   * @param instances instances just described, all of them in the status read that began after the
   *     cache listed {@code livePods}
   * @param present every instance of the cluster that read found
   * @param livePods the UIDs of the node's pods
   * @param instancesOfLivePods the instances those pods run as
   */
  void collect(
      Collection<Instance> instances,
      Set<String> present,
      Set<String> livePods,
      Set<String> instancesOfLivePods) {
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
      if (ours
          && !stopping
          && (podGone || replaced)
          && known.startDeleting(instance.id(), clock.instant())) {
        delete(instance, podGone);
      }
    }
    known.forgetDeletedExcept(present, clock.instant().minus(DELETES_REMEMBERED));
  }

  private void delete(Instance instance, boolean podGone) {
    LOG.info(
        "deleting instance {} of pod uid {}: {}",
        instance.id(),
        instance.tags().get(InstanceTags.POD_UID),
        podGone ? "its pod is gone" : "it was replaced");
    try {
      eci.delete(instance.id());
    } catch (RuntimeException e) {
      known.deleteFailed(instance.id());
      throw e;
    }
  }
}
