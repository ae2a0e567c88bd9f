package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.pod.fake.FakeContainerInstances.StockOut;
import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.sandbox.testing.TestPods;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A pod whose instance finds no stock in its zone moves to the next vSwitch's zone. */
@ExtendWith(NoSockets.class)
class ZoneFailoverTest {

  private final FakeNode node = new FakeNode(List.of("vsw-a", "vsw-b"));

  @Test
  void aStockOutAtCreateLandsThePodInTheNextZoneOfItsRequest() {
    node.eci.stockOut("cn-hangzhou-a", StockOut.REJECT);

    node.running("web");

    assertThat(node.phase("web")).isEqualTo("Running");
    assertThat(node.annotation("web", PodController.ZONE_ANNOTATION)).isEqualTo("cn-hangzhou-b");
  }

  @Test
  void anInstanceThatFindsNoStockLateIsReplacedInTheNextZone() {
    node.eci.stockOut("cn-hangzhou-a", StockOut.SCHEDULE_FAILED);
    node.bound("late");
    node.settle();

    node.poll();
    node.settle();
    node.poll();

    assertThat(node.phase("late")).isEqualTo("Running");
    assertThat(node.annotation("late", PodController.ZONE_ANNOTATION)).isEqualTo("cn-hangzhou-b");
    assertThat(node.annotation("late", PodController.EXCLUDED_VSWITCHES_ANNOTATION))
        .isEqualTo("vsw-a");
    assertThat(node.eci.instances())
        .singleElement()
        .satisfies(i -> assertThat(i.zoneId()).isEqualTo("cn-hangzhou-b"));
    assertThat(node.events.withReason("NoStock"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("cn-hangzhou-a"));
  }

  @Test
  void theReplacementLeavesTheExcludedVSwitchOutUnderAClientTokenOfItsOwn() {
    node.eci.stockOut("cn-hangzhou-a", StockOut.SCHEDULE_FAILED);
    node.bound("late");
    node.settle();

    node.poll();

    assertThat(node.eci.creates()).hasSize(2);
    assertThat(node.eci.creates().get(1).request().getVSwitchId()).isEqualTo("vsw-b");
    assertThat(node.eci.creates().get(1).clientToken())
        .isEqualTo(node.eci.creates().get(0).clientToken() + "-1");
  }

  @Test
  void aPodWithNoVSwitchLeftFailsWithNoStock() {
    node.bound(
        TestPods.labelledBuilder("web")
            .editMetadata()
            .addToAnnotations(PodController.EXCLUDED_VSWITCHES_ANNOTATION, "vsw-a,vsw-b")
            .endMetadata());

    node.settle();

    assertThat(node.eci.calls(CREATE)).isZero();
    assertThat(node.pods.pod("web").getStatus().getReason()).isEqualTo("NoStock");
    assertThat(node.pods.pod("web").getStatus().getMessage()).contains("vsw-a", "vsw-b");
  }

  @Test
  void aScheduleFailedInstanceWithoutANoStockEventStaysAndItsPodFails() {
    node.running("web");
    node.eci.setStatus("eci-1", EciStatus.SCHEDULE_FAILED);

    node.poll();

    assertThat(ZoneFailover.isStockOut(node.eci.instance("eci-1").orElseThrow())).isFalse();
    assertThat(node.eci.calls(CREATE)).isEqualTo(1);
    assertThat(node.phase("web")).isEqualTo("Failed");
  }

  @Test
  void onlyScheduleFailedWithANoStockEventIsAStockOut() {
    node.eci.stockOut("cn-hangzhou-a", StockOut.SCHEDULE_FAILED);
    node.bound("web");
    node.settle();
    Instance failed = node.eci.instances().get(0);

    assertThat(ZoneFailover.isStockOut(failed)).isTrue();
  }
}
