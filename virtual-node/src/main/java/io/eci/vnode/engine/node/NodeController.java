package io.eci.vnode.engine.node;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the virtual node's Node object and its heartbeat Lease. The Node is created with its
 * labels, taint and capacity ({@link NodeShape}); its status is patched without wiping conditions
 * that others (a node-problem detector, an operator) set; the Lease in {@code kube-node-lease} is
 * renewed every {@link #RENEW_EVERY_SECONDS} seconds and lasts {@link #LEASE_SECONDS}.
 */
public final class NodeController implements NodeObjects {

  private static final Logger LOG = LoggerFactory.getLogger(NodeController.class);

  public static final int LEASE_SECONDS = 40;
  public static final int RENEW_EVERY_SECONDS = 10;
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final String TAINT_KEY = NodeShape.TAINT_KEY;

  /** The label naming the registration (cluster id) whose engine made the node. */
  public static final String CLUSTER_LABEL = "eci-vnode.io/cluster-id";

  private final KubernetesClient client;
  private final NodeIdentity identity;
  private final NodeShape shape;
  private final Clock clock;

  public NodeController(
      KubernetesClient client, NodeIdentity identity, VirtualNodeConfig.Quota quota, Clock clock) {
    this(client, identity, quota, null, clock);
  }

  /** A node labelled {@link #CLUSTER_LABEL} with {@code clusterId}, when it is not null. */
  public NodeController(
      KubernetesClient client,
      NodeIdentity identity,
      VirtualNodeConfig.Quota quota,
      String clusterId,
      Clock clock) {
    this.client = client;
    this.identity = identity;
    this.shape = new NodeShape(identity, quota, clusterId);
    this.clock = clock;
  }

  @Override
  public String nodeName() {
    return identity.nodeName();
  }

  @Override
  public String apiServer() {
    return String.valueOf(client.getMasterUrl());
  }

  @Override
  public void ping() {
    client.leases().inNamespace(OwnershipLease.NAMESPACE).withName(OwnershipLease.NAME).get();
  }

  /**
   * Creates the Node, or brings an existing one's labels, taint and capacity back to what they must
   * be.
   */
  @Override
  public void register() {
    Node existing = client.nodes().withName(nodeName()).get();
    Node current =
        existing == null ? client.nodes().resource(shape.node()).create() : restoreLabelsAndTaint();
    report(current, true, "VirtualNodeReady", "The ECI virtual node is ready");
  }

  /**
   * Brings back the node's own labels and taint, keeping the taints others set (the node-lifecycle
   * controller's, an operator's). It edits the list it read, so a change in between (frequent on a
   * node that just came back) is a conflict: read again and retry at once.
   */
  private Node restoreLabelsAndTaint() {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.nodes().withName(nodeName()).edit(shape::restored);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Reports whether the node can take pods. Not ready says why, e.g. ECI unreachable or credentials
   * refused, so {@code kubectl describe node} explains a node that does not take pods.
   *
   * <p>Written as the kubelet writes its status: a strategic merge patch of the conditions it owns
   * (merged by type), capacity and node info, without a resourceVersion. The node-lifecycle
   * controller and taint managers change the Node all the time; a read-modify-write would keep
   * conflicting with them, and a merge patch of the whole list would wipe their conditions.
   */
  @Override
  public void report(boolean ready, String reason, String message) {
    report(client.nodes().withName(nodeName()).get(), ready, reason, message);
  }

  /** {@link #report(boolean, String, String)} knowing the node as it is now (or null). */
  private void report(Node current, boolean ready, String reason, String message) {
    Node patch =
        new NodeBuilder()
            .withStatus(shape.status(current, ready, reason, message, Instant.now(clock)))
            .build();
    // resource(stub), not withName: fabric8 reads the object before a patch by name
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(nodeName()).endMetadata().build())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            client.getKubernetesSerialization().asJson(patch));
  }

  /**
   * Renews the node's heartbeat Lease, creating it the first time. The renewal is a merge patch
   * without a resourceVersion: the Lease is this node's alone, and a conflict with a reader's write
   * must never cost a heartbeat.
   */
  @Override
  public void renewLease() {
    ZonedDateTime now = ZonedDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
    var leases = client.leases().inNamespace(LEASE_NAMESPACE);
    Lease renewal =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(nodeName())
            .withNamespace(LEASE_NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(nodeName())
            .withLeaseDurationSeconds(LEASE_SECONDS)
            .withRenewTime(now)
            .endSpec()
            .build();
    try {
      leases
          .resource(renewal)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(renewal));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      leases.resource(renewal).create();
    }
  }

  /**
   * Records an Event on the node, in {@code default} as the kubelet records node events, so {@code
   * kubectl describe node} shows it. An Event that cannot be written is logged, never thrown: it
   * explains, it is not state.
   */
  @Override
  public void event(String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    try {
      client
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(nodeName() + ".")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(nodeName())
                  .withUid(nodeName())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("eci-virtual-node")
                  .withHost(nodeName())
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warn("event {} on node {} not recorded: {}", reason, nodeName(), e.toString());
    }
  }
}
