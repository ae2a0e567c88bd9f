package io.eci.vnode.engine.node;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the virtual node's Node object must be: its labels, its taint, its capacity, and the status
 * it reports (its own conditions, node info). Only values: {@link NodeController} writes them.
 */
final class NodeShape {

  /** The taint that keeps pods off the node unless they tolerate it (the webhook adds that). */
  static final String TAINT_KEY = "virtual-kubelet.io/provider";

  /** The condition types the node owns; others' conditions (a node-problem detector's) stay. */
  private static final List<String> OWN_CONDITIONS =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  private final NodeIdentity identity;
  private final VirtualNodeConfig.Quota quota;
  private final String clusterId;

  NodeShape(NodeIdentity identity, VirtualNodeConfig.Quota quota) {
    this(identity, quota, null);
  }

  /**
   * @param clusterId the registration the node is made for, or null: labelled {@link
   *     NodeController#CLUSTER_LABEL} so that a deregistration removes this node and no other
   *     product's virtual node
   */
  NodeShape(NodeIdentity identity, VirtualNodeConfig.Quota quota, String clusterId) {
    this.identity = identity;
    this.quota = quota;
    this.clusterId = clusterId;
  }

  /** The Node as it is created. */
  Node node() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(identity.nodeName())
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

  /** {@code existing} with the node's own labels and taint back, everything else kept. */
  Node restored(Node existing) {
    return new NodeBuilder(existing)
        .editMetadata()
        .addToLabels(labels())
        .endMetadata()
        .editSpec()
        .withTaints(withOwnTaint(existing.getSpec().getTaints()))
        .endSpec()
        .build();
  }

  /**
   * The status the node reports, {@code current} being the Node as it is now (or null): its own
   * conditions, each keeping its transition time unless its status changes, capacity and node info.
   */
  NodeStatus status(Node current, boolean ready, String reason, String message, Instant at) {
    String now = at.toString();
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
    return new NodeStatusBuilder()
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
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/role", "agent");
    labels.put("kubernetes.io/hostname", identity.nodeName());
    labels.put("kubernetes.io/os", "linux");
    labels.put("topology.kubernetes.io/region", identity.region());
    labels.put("topology.kubernetes.io/zone", identity.zoneId());
    if (clusterId != null) {
      labels.put(NodeController.CLUSTER_LABEL, clusterId);
    }
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

  /** Others' taints (the node-lifecycle controller's, an operator's) and the node's own once. */
  private static List<Taint> withOwnTaint(List<Taint> taints) {
    List<Taint> all =
        new ArrayList<>(taints.stream().filter(t -> !TAINT_KEY.equals(t.getKey())).toList());
    all.add(ownTaint());
    return all;
  }
}
