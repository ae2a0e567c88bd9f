package io.eci.vnode.agent.drain;

import io.eci.vnode.agent.engine.AgentHolder;
import io.eci.vnode.agent.webhook.WebhookRegistration;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.NodeController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What the agent's engines made in the cluster besides instances, and only that: the nodes labelled
 * with the cluster's id and their heartbeat Leases, the ownership Lease while an agent holds it,
 * and the webhook configuration an agent installed. The service's are left alone.
 */
@ApplicationScoped
public class ClusterLeftovers {

  private static final Duration READ_EVERY = Duration.ofMillis(500);

  private final KubernetesClient client;

  ClusterLeftovers(KubernetesClient client) {
    this.client = client;
  }

  /** Waits until no agent's engine holds a live ownership Lease; false if one still does. */
  boolean awaitLeaseFreeOfAgents(String clusterId, Instant deadline) {
    while (agentHoldsLease(clusterId)) {
      if (!Instant.now().isBefore(deadline)) {
        return false;
      }
      LockSupport.parkNanos(READ_EVERY.toNanos());
    }
    return true;
  }

  private boolean agentHoldsLease(String clusterId) {
    Lease lease = ownershipLease();
    if (lease == null || lease.getSpec() == null) {
      return false;
    }
    if (!AgentHolder.isAgentOf(lease.getSpec().getHolderIdentity(), clusterId)) {
      return false;
    }
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return renewed == null
        || seconds == null
        || renewed.toInstant().plusSeconds(seconds).isAfter(Instant.now());
  }

  /** Removes the webhook, the nodes, their Leases and an agent's ownership Lease. */
  void removeAll(String clusterId, PrintStream out) {
    // The webhook first: left behind with failurePolicy Fail it would refuse labelled pods.
    MutatingWebhookConfiguration webhook =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(WebhookRegistration.NAME)
            .get();
    if (WebhookRegistration.isOurs(webhook)) {
      client.resource(webhook).delete();
      out.println("drain: removed the webhook configuration " + WebhookRegistration.NAME);
    }
    List<String> nodes =
        client.nodes().withLabel(NodeController.CLUSTER_LABEL, clusterId).list().getItems().stream()
            .map(Node::getMetadata)
            .map(m -> m.getName())
            .toList();
    for (String name : nodes) {
      client.nodes().withName(name).delete();
      client.leases().inNamespace(NodeController.LEASE_NAMESPACE).withName(name).delete();
      out.println("drain: removed node " + name + " and its Lease");
    }
    Lease ownership = ownershipLease();
    // An agent's engine that closed released it: no holder left, and the service holds none now.
    if (ownership != null
        && ownership.getSpec() != null
        && (isEmpty(ownership.getSpec().getHolderIdentity())
            || AgentHolder.isAgentOf(ownership.getSpec().getHolderIdentity(), clusterId))) {
      client.resource(ownership).delete();
      out.println("drain: removed the ownership Lease " + VirtualNode.OWNERSHIP_LEASE);
    }
  }

  private static boolean isEmpty(String holder) {
    return holder == null || holder.isEmpty();
  }

  private Lease ownershipLease() {
    return client
        .leases()
        .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
        .withName(VirtualNode.OWNERSHIP_LEASE)
        .get();
  }
}
