package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.service.api.ApiProblem;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Drains a hosted cluster before its registration is deleted, so that no ECI instance outlives it:
 * the claim is revoked (the hosting replica stops its engine within a period), the engine's
 * ownership Lease is waited out, every instance tagged with the cluster is deleted, and the virtual
 * node and its Leases are removed from the cluster. A cluster never hosted here has nothing to
 * drain.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Deregistration {

  private static final Logger LOG = Logger.getLogger(Deregistration.class);
  private static final Duration ENGINE_LEASE = Host.OWNERSHIP_LEASE;

  /** How long deleted instances may take to stop before a deregistration gives up for now. */
  static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

  private final ClaimStore claims;
  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final ClusterGuards guards;
  private final HostingConfig config;

  Deregistration(
      ClaimStore claims,
      HostedClusters clusters,
      ClusterConnections connections,
      ClusterGuards guards,
      HostingConfig config) {
    this.guards = guards;
    this.claims = claims;
    this.clusters = clusters;
    this.connections = connections;
    this.config = config;
  }

  /**
   * Drains the cluster; afterwards it has no instance and no engine. On failure the claim is
   * restored and the cause thrown as a problem the owner can act on.
   *
   * @param keepPods refuse, listing the pods, rather than delete instances that still run
   */
  public void drain(UUID clusterId, boolean keepPods) {
    HostedCluster cluster = clusters.load(clusterId).orElse(null);
    if (cluster == null || !claims.revoke(clusterId)) {
      return;
    }
    try {
      ContainerInstances eci = connections.eci(cluster);
      try (KubernetesClient kube = connections.kubernetes(cluster)) {
        waitForTheEngineToStop(kube);
        List<InstanceState> left = eci.statusByTag(InstanceTags.CLUSTER, clusterId.toString());
        if (keepPods && !left.isEmpty()) {
          List<String> pods =
              eci.describeByIds(left.stream().map(InstanceState::id).limit(20).toList()).stream()
                  .map(
                      i ->
                          i.tags().getOrDefault(InstanceTags.NAMESPACE, "?")
                              + "/"
                              + i.tags().getOrDefault(InstanceTags.POD_NAME, i.id()))
                  .toList();
          throw ApiProblem.conflict(
              "keepPods",
              left.size()
                  + " pods still run as ECI instances ("
                  + String.join(", ", pods)
                  + (left.size() > pods.size() ? ", ..." : "")
                  + "); delete them, or deregister without keepPods to delete their instances");
        }
        deleteAndAwaitGone(eci, clusterId, left);
        removeTheNode(kube, cluster);
        guards.forget(clusterId);
        connections.forget(clusterId);
      }
    } catch (io.eci.vnode.engine.eci.EciException e) {
      claims.restore(clusterId);
      throw ApiProblem.http(
          jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE,
          "The cluster's ECI instances could not be listed or deleted ("
              + e.getMessage()
              + "); nothing was deleted and the cluster stays registered. Try again later.");
    } catch (RuntimeException e) {
      claims.restore(clusterId);
      throw e;
    }
  }

  /**
   * Deletes every instance once and waits until ECI no longer lists any: a deleted instance is
   * Terminating for a while (its containers get their grace period). One already Terminating (its
   * pod was being deleted) is waited for, not deleted again.
   *
   * @throws ApiProblem 409 when some are still there after {@link #STOP_DEADLINE}
   */
  private void deleteAndAwaitGone(
      ContainerInstances eci, UUID clusterId, List<InstanceState> instances) {
    Set<String> asked = new HashSet<>();
    Instant deadline = Instant.now().plus(STOP_DEADLINE);
    List<InstanceState> left = instances;
    while (!left.isEmpty()) {
      for (InstanceState instance : left) {
        if (!"Terminating".equals(instance.rawStatus()) && asked.add(instance.id())) {
          eci.delete(instance.id());
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw ApiProblem.conflict(
            "id",
            left.size()
                + " ECI instances of the cluster were still stopping after "
                + STOP_DEADLINE.toSeconds()
                + " s; nothing else was removed, try again");
      }
      pause(Duration.ofMillis(500));
      left = eci.statusByTag(InstanceTags.CLUSTER, clusterId.toString());
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while draining", e);
    }
  }

  /**
   * The engine releases the ownership Lease when it stops; at worst the Lease runs out. When the
   * API server cannot be read, two hosting periods are waited: the replica that held the claim
   * stops its engine at its next round.
   */
  private void waitForTheEngineToStop(KubernetesClient kube) {
    Instant start = Instant.now();
    Instant deadline = start.plus(config.period().multipliedBy(2)).plus(ENGINE_LEASE);
    while (Instant.now().isBefore(deadline)) {
      try {
        Lease lease =
            kube.leases()
                .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
                .withName(VirtualNode.OWNERSHIP_LEASE)
                .get();
        if (isFree(lease)) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.debugf("ownership Lease not readable while draining: %s", e.getMessage());
        if (Instant.now().isAfter(start.plus(config.period().multipliedBy(2)))) {
          return;
        }
      }
      pause(Duration.ofMillis(200));
    }
  }

  private static boolean isFree(Lease lease) {
    if (lease == null || lease.getSpec() == null) {
      return true;
    }
    String holder = lease.getSpec().getHolderIdentity();
    if (holder == null || holder.isEmpty()) {
      return true;
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return renewed != null
        && seconds != null
        && renewed.toInstant().plusSeconds(seconds).isBefore(Instant.now());
  }

  private void removeTheNode(KubernetesClient kube, HostedCluster cluster) {
    // The webhook first and on its own: left behind, it would refuse the cluster's labelled pods
    // whenever this service cannot be reached (its failure policy is Fail by default).
    try {
      guards.run(cluster.id(), ClusterGuards.Boundary.API_SERVER, () -> Webhooks.remove(kube));
    } catch (RuntimeException e) {
      LOG.warnf(
          "cluster %s: its webhook configuration %s could not be removed; delete it by hand"
              + " (kubectl delete mutatingwebhookconfiguration %s): %s",
          cluster, Webhooks.NAME, Webhooks.NAME, e.getMessage());
    }
    try {
      guards.run(
          cluster.id(),
          ClusterGuards.Boundary.API_SERVER,
          () -> {
            kube.nodes().withLabel("type", "virtual-kubelet").delete();
            kube.leases()
                .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
                .withName(VirtualNode.OWNERSHIP_LEASE)
                .delete();
            kube.leases().inNamespace("kube-node-lease").list().getItems().stream()
                .filter(l -> l.getMetadata().getName().startsWith("virtual-kubelet-"))
                .forEach(l -> kube.resource(l).delete());
          });
    } catch (RuntimeException e) {
      // The instances are gone, which is what costs money; a node object left in a cluster we can
      // no longer reach is reported, not a reason to keep the registration.
      LOG.warnf(
          "cluster %s: its virtual node could not be removed from the API server: %s",
          cluster, e.getMessage());
    }
  }
}
