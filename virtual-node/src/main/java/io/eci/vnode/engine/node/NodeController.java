package io.eci.vnode.engine.node;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
    if (existing == null) {
      client.nodes().resource(desiredNode()).create();
    } else {
      client
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
    }
    report(true, "VirtualNodeReady", "The ECI virtual node is ready");
  }

  /**
   * Reports whether the node can take pods. Not ready says why, e.g. ECI unreachable or credentials
   * refused, so {@code kubectl describe node} explains a node that does not take pods.
   */
  public void report(boolean ready, String reason, String message) {
    String now = Instant.now(clock).toString();
    client
        .nodes()
        .withName(nodeName())
        .editStatus(
            n -> {
              Map<String, NodeCondition> byType = new LinkedHashMap<>();
              n.getStatus().getConditions().forEach(c -> byType.put(c.getType(), c));
              for (String type : OWN_CONDITIONS) {
                boolean problem = !type.equals("Ready");
                String status = type.equals("Ready") ? (ready ? "True" : "False") : "False";
                NodeCondition previous = byType.get(type);
                boolean changed = previous == null || !status.equals(previous.getStatus());
                byType.put(
                    type,
                    new NodeConditionBuilder()
                        .withType(type)
                        .withStatus(status)
                        .withReason(
                            problem ? "Virtual" + type.replace("Pressure", "PressureNone") : reason)
                        .withMessage(
                            problem ? "ECI instances do not share this node's resources" : message)
                        .withLastHeartbeatTime(now)
                        .withLastTransitionTime(changed ? now : previous.getLastTransitionTime())
                        .build());
              }
              Node updated =
                  new NodeBuilder(n)
                      .editStatus()
                      .withConditions(new ArrayList<>(byType.values()))
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
                      .endStatus()
                      .build();
              return updated;
            });
  }

  /** Renews the node's heartbeat Lease, creating it the first time. */
  public void renewLease() {
    ZonedDateTime now = ZonedDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC);
    var leases = client.leases().inNamespace(LEASE_NAMESPACE);
    Lease existing = leases.withName(nodeName()).get();
    if (existing == null) {
      leases
          .resource(
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
                  .build())
          .create();
    } else {
      leases
          .withName(nodeName())
          .edit(
              l ->
                  new LeaseBuilder(l)
                      .editSpec()
                      .withHolderIdentity(nodeName())
                      .withLeaseDurationSeconds(LEASE_SECONDS)
                      .withRenewTime(now)
                      .endSpec()
                      .build());
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
