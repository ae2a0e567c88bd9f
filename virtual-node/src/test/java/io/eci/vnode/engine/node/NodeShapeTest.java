package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Node the virtual node must be, as values. */
class NodeShapeTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private final NodeShape shape =
      new NodeShape(
          new NodeIdentity("cn-hangzhou", "cn-hangzhou-b"), VirtualNodeConfig.Quota.defaults());

  @Test
  void aNewNodeCarriesItsLabelsItsTaintAndItsCapacity() {
    Node node = shape.node();

    assertThat(node.getMetadata().getName()).isEqualTo("virtual-kubelet-cn-hangzhou-b");
    assertThat(node.getMetadata().getLabels())
        .containsEntry("type", "virtual-kubelet")
        .containsEntry("topology.kubernetes.io/zone", "cn-hangzhou-b")
        .containsEntry("topology.kubernetes.io/region", "cn-hangzhou");
    assertThat(node.getSpec().getTaints())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo(NodeController.TAINT_KEY));
    assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
  }

  @Test
  void restoringANodeKeepsOthersTaintsAndLabelsAndHasItsOwnTaintOnce() {
    Taint foreign =
        new TaintBuilder()
            .withKey("node.kubernetes.io/unreachable")
            .withEffect("NoExecute")
            .build();
    Node changed =
        new NodeBuilder(shape.node())
            .editMetadata()
            .addToLabels("team", "infra")
            .removeFromLabels("type")
            .endMetadata()
            .editSpec()
            .addToTaints(foreign)
            .endSpec()
            .build();

    Node restored = shape.restored(shape.restored(changed));

    assertThat(restored.getMetadata().getLabels())
        .containsEntry("team", "infra")
        .containsEntry("type", "virtual-kubelet");
    assertThat(restored.getSpec().getTaints())
        .extracting(Taint::getKey)
        .containsExactlyInAnyOrder("node.kubernetes.io/unreachable", NodeController.TAINT_KEY);
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusChanges() {
    NodeStatus first = shape.status(null, true, "VirtualNodeReady", "ready", T0);
    Node current = new NodeBuilder(shape.node()).withStatus(first).build();

    NodeStatus same = shape.status(current, true, "VirtualNodeReady", "ready", T0.plusSeconds(10));
    NodeStatus changed =
        shape.status(current, false, "EciUnreachable", "ECI did not answer", T0.plusSeconds(20));

    assertThat(ready(same).getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(ready(same).getLastHeartbeatTime()).isEqualTo(T0.plusSeconds(10).toString());
    assertThat(ready(changed).getLastTransitionTime()).isEqualTo(T0.plusSeconds(20).toString());
    assertThat(ready(changed).getReason()).isEqualTo("EciUnreachable");
  }

  @Test
  void theStatusHoldsOnlyTheNodesOwnConditionsSoOthersAreKeptByTheMerge() {
    NodeStatus status = shape.status(null, true, "VirtualNodeReady", "ready", T0);

    assertThat(status.getConditions())
        .extracting(NodeCondition::getType)
        .containsExactly(
            "Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");
    assertThat(status.getConditions())
        .filteredOn(c -> !c.getType().equals("Ready"))
        .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("False"));
  }

  private static NodeCondition ready(NodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }
}
