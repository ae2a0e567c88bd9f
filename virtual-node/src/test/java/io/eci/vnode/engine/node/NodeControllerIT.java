package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.ManualClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeControllerIT {

  private static final NodeIdentity IDENTITY = new NodeIdentity("cn-hangzhou", "cn-hangzhou-b");

  private Cluster cluster;
  private KubernetesClient client;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
  private NodeController controller;

  @BeforeEach
  void startCluster() {
    cluster = Cluster.forTests(getClass().getSimpleName());
    client = cluster.client();
    controller = new NodeController(client, IDENTITY, VirtualNodeConfig.Quota.defaults(), clock);
  }

  @AfterEach
  void stopCluster() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void registersAReadyNodeWithItsLabelsTaintAndCapacity() {
    controller.register();
    Node node = client.nodes().withName("virtual-kubelet-cn-hangzhou-b").get();

    assertThat(node.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("kubernetes.io/role", "agent")
        .containsEntry("kubernetes.io/hostname", "virtual-kubelet-cn-hangzhou-b")
        .containsEntry("topology.kubernetes.io/zone", "cn-hangzhou-b")
        .containsEntry("topology.kubernetes.io/region", "cn-hangzhou");
    // Only the taints under our own key: a real node-lifecycle controller may add
    // node.kubernetes.io/not-ready between the node's creation and its first Ready status.
    assertThat(node.getSpec().getTaints())
        .filteredOn(t -> !t.getKey().startsWith("node.kubernetes.io/"))
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
                    .isEqualTo("virtual-kubelet.io/provider=alibabacloud:NoSchedule"));
    // a real API server writes quantities in canonical form (1000 pods reads "1k")
    assertThat(node.getStatus().getCapacity().get("pods").getNumericalAmount())
        .isEqualByComparingTo("1000");
    assertThat(node.getStatus().getAllocatable().get("memory").toString()).isEqualTo("4Ti");
    assertThat(condition(node, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void goesNotReadyWithAReasonAndKeepsConditionsOthersSet() {
    controller.register();
    // A patch without a resourceVersion: on a real cluster the TTL and node-lifecycle controllers
    // write the node too, so a read-modify-write here could meet a conflict.
    client
        .nodes()
        .withName(controller.nodeName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"status\":{\"conditions\":[{\"type\":\"KernelDeadlock\",\"status\":\"False\","
                + "\"reason\":\"KernelHasNoDeadlock\"}]}}");

    clock.advance(Duration.ofSeconds(30));
    controller.report(false, "EciUnreachable", "ECI did not answer for 60 s");
    Node node = client.nodes().withName(controller.nodeName()).get();

    NodeCondition ready = condition(node, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("EciUnreachable");
    assertThat(ready.getMessage()).contains("60 s");
    assertThat(ready.getLastTransitionTime()).isEqualTo(clock.instant().toString());
    assertThat(condition(node, "KernelDeadlock").getReason()).isEqualTo("KernelHasNoDeadlock");
  }

  @Test
  void restoresItsTaintAndLabelsOnAnExistingNodeAndKeepsForeignLabels() {
    controller.register();
    client
        .nodes()
        .withName(controller.nodeName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"team\":\"infra\",\"type\":null}},\"spec\":{\"taints\":null}}");
    assertThat(client.nodes().withName(controller.nodeName()).get().getSpec().getTaints())
        .isNullOrEmpty();

    controller.register();
    Node node = client.nodes().withName(controller.nodeName()).get();
    assertThat(node.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("team", "infra");
    // Only our own taint is counted: a real node-lifecycle controller may add its own.
    assertThat(node.getSpec().getTaints())
        .filteredOn(t -> t.getKey().equals("virtual-kubelet.io/provider"))
        .hasSize(1);
  }

  @Test
  void renewsItsLeaseInKubeNodeLease() {
    controller.renewLease();
    Lease first =
        client.leases().inNamespace("kube-node-lease").withName(controller.nodeName()).get();
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo(controller.nodeName());
    assertThat(first.getSpec().getLeaseDurationSeconds()).isEqualTo(40);

    clock.advance(Duration.ofSeconds(10));
    controller.renewLease();
    Lease renewed =
        client.leases().inNamespace("kube-node-lease").withName(controller.nodeName()).get();
    assertThat(renewed.getSpec().getRenewTime().toInstant()).isEqualTo(clock.instant());
    assertThat(renewed.getSpec().getRenewTime()).isAfter(first.getSpec().getRenewTime());
  }

  private static NodeCondition condition(Node node, String type) {
    return node.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
