package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.claims.Revocations;
import io.eci.vnode.service.cluster.Drain;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import io.eci.vnode.service.webhook.Webhooks;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a hosted cluster before its registration is deleted, so that no ECI instance outlives it:
 * the claim is revoked (the hosting replica stops its engine within a period), the engine's
 * ownership Lease is waited out, every instance tagged with the cluster is deleted, and the virtual
 * node and its Leases are removed from the cluster. A cluster never hosted here has nothing to
 * drain. The request waits for ECI and the Lease with {@link Polling}, up to a deadline each.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Deregistration implements Drain {

  private static final Logger LOG = LoggerFactory.getLogger(Deregistration.class);
  private static final Duration ENGINE_LEASE = EngineFactory.OWNERSHIP_LEASE;
  private static final Duration LEASE_READS = Duration.ofMillis(200);
  private static final Duration ECI_READS = Duration.ofMillis(500);

  /** How long deleted instances may take to stop before a deregistration gives up for now. */
  static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

  private final Revocations claims;
  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final ClusterGuards guards;
  private final HostingConfig config;
  private final Polling polling = new Polling("deregistration-poll", 2);

  Deregistration(
      Revocations claims,
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

  @PreDestroy
  void close() {
    polling.close();
  }

  /**
   * Drains the cluster; afterwards it has no instance and no engine. On failure the claim is
   * restored and the cause thrown as a problem the owner can act on.
   */
  @Override
  public void drain(String tenantId, UUID clusterId, boolean keepPods) {
    HostedCluster cluster = clusters.load(tenantId, clusterId).orElse(null);
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
    } catch (EciException e) {
      claims.restore(clusterId);
      throw ApiProblem.http(
          Status.SERVICE_UNAVAILABLE,
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
    Set<String> asked = ConcurrentHashMap.newKeySet();
    AtomicInteger left = new AtomicInteger(instances.size());
    AtomicReference<List<InstanceState>> listed = new AtomicReference<>(instances);
    Optional<Boolean> gone =
        polling.until(
            ECI_READS,
            Instant.now().plus(STOP_DEADLINE),
            () -> {
              List<InstanceState> now = listed.getAndSet(null);
              if (now == null) {
                now = eci.statusByTag(InstanceTags.CLUSTER, clusterId.toString());
              }
              left.set(now.size());
              for (InstanceState instance : now) {
                if (!"Terminating".equals(instance.rawStatus()) && asked.add(instance.id())) {
                  eci.delete(instance.id());
                }
              }
              return now.isEmpty() ? Optional.of(true) : Optional.empty();
            });
    if (gone.isEmpty()) {
      throw ApiProblem.conflict(
          "id",
          left.get()
              + " ECI instances of the cluster were still stopping after "
              + STOP_DEADLINE.toSeconds()
              + " s; nothing else was removed, try again");
    }
  }

  /**
   * The engine releases the ownership Lease when it stops; at worst the Lease runs out. When the
   * API server cannot be read, two hosting periods are waited: the replica that held the claim
   * stops its engine at its next round.
   */
  private void waitForTheEngineToStop(KubernetesClient kube) {
    Instant unreadableUntil = Instant.now().plus(config.period().multipliedBy(2));
    polling.until(
        LEASE_READS,
        unreadableUntil.plus(ENGINE_LEASE),
        () -> {
          try {
            Lease lease =
                kube.leases()
                    .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
                    .withName(VirtualNode.OWNERSHIP_LEASE)
                    .get();
            return isFree(lease) ? Optional.of(true) : Optional.empty();
          } catch (RuntimeException e) {
            LOG.debug("ownership Lease not readable while draining: {}", e.getMessage());
            return Instant.now().isAfter(unreadableUntil) ? Optional.of(true) : Optional.empty();
          }
        });
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
      guards.run(cluster.id(), Boundary.API_SERVER, () -> Webhooks.remove(kube));
    } catch (RuntimeException e) {
      LOG.warn(
          "cluster {}: its webhook configuration {} could not be removed; delete it by hand"
              + " (kubectl delete mutatingwebhookconfiguration {}): {}",
          cluster,
          Webhooks.NAME,
          Webhooks.NAME,
          e.getMessage());
    }
    try {
      guards.run(
          cluster.id(),
          Boundary.API_SERVER,
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
      LOG.warn(
          "cluster {}: its virtual node could not be removed from the API server: {}",
          cluster,
          e.getMessage());
    }
  }
}
