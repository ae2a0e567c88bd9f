package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import io.eci.vnode.service.webhook.Webhooks;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from a cluster what one registration's engine made there, and nothing else: the webhook,
 * the nodes labelled {@link NodeController#CLUSTER_LABEL} with the registration's id and their
 * heartbeat Leases, and the ownership Lease only while its holder is that registration's engine. A
 * virtual node of another product (ACK's, another registration's) has no such label and stays.
 */
final class NodeRemoval {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRemoval.class);

  private final ClusterGuards guards;
  private final Predicate<String> isReplica;

  /**
   * @param isReplica whether a name is one of this service's replicas: the holder of an ownership
   *     Lease written before holders named the cluster
   */
  NodeRemoval(ClusterGuards guards, Predicate<String> isReplica) {
    this.guards = guards;
    this.isReplica = isReplica;
  }

  /**
   * Whether this holder of the ownership Lease is the registration's engine: a holder that names
   * the cluster ({@code replica/cluster-id/epoch}) names it among its parts; one of the older, bare
   * form is a replica of this service.
   */
  boolean isOurs(String holder, UUID clusterId) {
    if (holder == null || holder.isEmpty()) {
      return false;
    }
    if (holder.contains("/")) {
      return Arrays.asList(holder.split("/")).contains(clusterId.toString());
    }
    return isReplica.test(holder);
  }

  /** Whether the registration's engine holds the ownership Lease and renewed it lately. */
  boolean engineHoldsTheLease(KubernetesClient kube, UUID clusterId) {
    Lease lease = ownershipLease(kube);
    if (lease == null || lease.getSpec() == null) {
      return false;
    }
    if (!isOurs(lease.getSpec().getHolderIdentity(), clusterId)) {
      return false;
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return renewed == null
        || seconds == null
        || renewed.toInstant().plusSeconds(seconds).isAfter(Instant.now());
  }

  /**
   * Removes the webhook, the registration's nodes, their Leases and its ownership Lease; what
   * cannot be removed is logged, never thrown: the instances are what costs money.
   *
   * @return the names of the nodes removed
   */
  List<String> remove(KubernetesClient kube, HostedCluster cluster) {
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
      return guards.call(
          cluster.id(),
          Boundary.API_SERVER,
          List.class,
          () -> removeNodesAndLeases(kube, cluster.id()));
    } catch (RuntimeException e) {
      LOG.warn(
          "cluster {}: its virtual node could not be removed from the API server: {}",
          cluster,
          e.getMessage());
      return List.of();
    }
  }

  private List<String> removeNodesAndLeases(KubernetesClient kube, UUID clusterId) {
    List<String> names =
        kube
            .nodes()
            .withLabel(NodeController.CLUSTER_LABEL, clusterId.toString())
            .list()
            .getItems()
            .stream()
            .map(Node::getMetadata)
            .map(m -> m.getName())
            .toList();
    // A collection delete by the label: what the cluster's RBAC grants (deletecollection on
    // nodes), and it can only ever match the registration's own nodes.
    kube.nodes().withLabel(NodeController.CLUSTER_LABEL, clusterId.toString()).delete();
    for (String name : names) {
      kube.leases().inNamespace(NodeController.LEASE_NAMESPACE).withName(name).delete();
    }
    Lease ownership = ownershipLease(kube);
    if (ownership != null
        && ownership.getSpec() != null
        && isOurs(ownership.getSpec().getHolderIdentity(), clusterId)) {
      kube.resource(ownership).delete();
    }
    return names;
  }

  private static Lease ownershipLease(KubernetesClient kube) {
    return kube.leases()
        .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
        .withName(VirtualNode.OWNERSHIP_LEASE)
        .get();
  }
}
