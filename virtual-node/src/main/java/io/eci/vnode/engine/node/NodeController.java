package io.eci.vnode.engine.node;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the virtual node's Node object and its heartbeat Lease. The Node is created with its
 * labels, taint and capacity; its status is patched without wiping conditions that others (a
 * node-problem detector, an operator) set; the Lease in {@code kube-node-lease} is renewed every
 * {@link #RENEW_EVERY_SECONDS} seconds and lasts {@link #LEASE_SECONDS}.
 */
public final class NodeController {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(NodeController.class);

  public static final int LEASE_SECONDS = 40;
  public static final int RENEW_EVERY_SECONDS = 10;
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  public static final String TAINT_KEY = "virtual-kubelet.io/provider";

  private static final List<String> OWN_CONDITIONS =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  private final KubernetesClient client;
  private final NodeIdentity identity;
  private final VirtualNodeConfig.Quota quota;
  private final Clock clock;

  public NodeController(
      KubernetesClient client, NodeIdentity identity, VirtualNodeConfig.Quota quota, Clock clock) {
    this.client = client;
    this.identity = identity;
    this.quota = quota;
    this.clock = clock;
  }

  public String nodeName() {
    return identity.nodeName();
  }

  /**
   * Creates the Node, or brings an existing one's labels, taint and capacity back to what they must
   * be.
   */
  public void register() {
    Node existing = client.nodes().withName(nodeName()).get();
    Node current =
        existing == null
            ? client.nodes().resource(desiredNode()).create()
            : restoreLabelsAndTaint();
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
        return client
            .nodes()
            .withName(nodeName())
            .edit(
                n ->
                    new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels(labels())
                        .endMetadata()
                        .editSpec()
                        .withTaints(withOwnTaint(n.getSpec().getTaints()))
                        .endSpec()
                        .build());
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
  public void report(boolean ready, String reason, String message) {
    report(client.nodes().withName(nodeName()).get(), ready, reason, message);
  }

  /** {@link #report(boolean, String, String)} knowing the node as it is now (or null). */
  private void report(Node current, boolean ready, String reason, String message) {
    String now = Instant.now(clock).toString();
    Map<String, NodeCondition> previous = new LinkedHashMap<>();
    if (current != null && current.getStatus() != null) {
      current.getStatus().getConditions().forEach(c -> previous.put(c.getType(), c));
    }
    List<NodeCondition> conditions = new ArrayList<>();
    for (String type : OWN_CONDITIONS) {
      boolean problem = !type.equals("Ready");
      String status = type.equals("Ready") ? (ready ? "True" : "False") : "False";
      NodeCondition before = previous.get(type);
      boolean changed = before == null || !status.equals(before.getStatus());
      conditions.add(
          new NodeConditionBuilder()
              .withType(type)
              .withStatus(status)
              .withReason(problem ? "Virtual" + type.replace("Pressure", "PressureNone") : reason)
              .withMessage(problem ? "ECI instances do not share this node's resources" : message)
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(changed ? now : before.getLastTransitionTime())
              .build());
    }
    NodeStatus status =
        new NodeStatusBuilder()
            .withConditions(conditions)
            .withCapacity(capacity())
            .withAllocatable(capacity())
            .withNewNodeInfo()
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withKubeletVersion("v1.32.0-eci-vnode")
            .withContainerRuntimeVersion("eci://2018-08-08")
            .withOsImage("Elastic Container Instance")
            .withKernelVersion("")
            .withMachineID("")
            .withSystemUUID("")
            .withBootID("")
            .withKubeProxyVersion("")
            .endNodeInfo()
            .build();
    // resource(stub), not withName: fabric8 reads the object before a patch by name
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(nodeName()).endMetadata().build())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            client
                .getKubernetesSerialization()
                .asJson(new NodeBuilder().withStatus(status).build()));
  }

  /**
   * Renews the node's heartbeat Lease, creating it the first time. The renewal is a merge patch
   * without a resourceVersion: the Lease is this node's alone, and a conflict with a reader's write
   * must never cost a heartbeat.
   */
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

  private Node desiredNode() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(nodeName())
        .withLabels(labels())
        .endMetadata()
        .withNewSpec()
        .withTaints(ownTaint())
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity())
        .withAllocatable(capacity())
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(10250)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .endStatus()
        .build();
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/role", "agent");
    labels.put("kubernetes.io/hostname", nodeName());
    labels.put("kubernetes.io/os", "linux");
    labels.put("topology.kubernetes.io/region", identity.region());
    labels.put("topology.kubernetes.io/zone", identity.zoneId());
    return labels;
  }

  private Map<String, Quantity> capacity() {
    return Map.of(
        "cpu",
        new Quantity(quota.cpu()),
        "memory",
        new Quantity(quota.memory()),
        "pods",
        new Quantity(quota.pods()));
  }

  private static Taint ownTaint() {
    return new TaintBuilder()
        .withKey(TAINT_KEY)
        .withValue("alibabacloud")
        .withEffect("NoSchedule")
        .build();
  }

  private static List<Taint> withOwnTaint(List<Taint> taints) {
    List<Taint> all =
        new ArrayList<>(taints.stream().filter(t -> !TAINT_KEY.equals(t.getKey())).toList());
    all.add(ownTaint());
    return all;
  }
}
