package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.DELETE;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which instances the poll deletes because no pod needs them, and which it never touches. */
@ExtendWith(NoSockets.class)
class OrphanCollectorTest {

  private final FakeNode node = new FakeNode();

  @Test
  void anInstanceOfThisClusterAndNodeWhosePodIsGoneIsDeleted() {
    node.eci.put(
        instance("eci-ghost", FakeNode.CLUSTER, FakeNode.NODE, "uid-ghost", EciStatus.RUNNING));

    node.poll();

    assertThat(node.eci.instance("eci-ghost")).isEmpty();
  }

  @Test
  void anInstanceOfAnotherClusterIsNeverTouched() {
    node.eci.put(instance("eci-theirs", "someone-else", FakeNode.NODE, "uid-x", EciStatus.RUNNING));

    node.poll();
    node.directions.poll.syncPodStatusFromProvider();

    assertThat(node.eci.calls(DELETE)).isZero();
  }

  @Test
  void anInstanceOfAnotherNodeOfTheClusterIsNeverTouched() {
    node.eci.put(
        instance(
            "eci-other-zone",
            FakeNode.CLUSTER,
            "virtual-kubelet-cn-hangzhou-a",
            "uid-x",
            EciStatus.RUNNING));

    node.poll();

    assertThat(node.eci.calls(DELETE)).isZero();
  }

  @Test
  void anInstanceAlreadyStoppingIsLeftToStop() {
    node.eci.put(
        instance(
            "eci-stopping", FakeNode.CLUSTER, FakeNode.NODE, "uid-gone", EciStatus.TERMINATING));

    node.poll();

    assertThat(node.eci.calls(DELETE)).isZero();
  }

  @Test
  void anEndedInstanceOfALivePodThatRunsAsAnotherIsDeleted() {
    Pod pod = node.running("web");
    node.eci.put(
        instance(
            "eci-replaced",
            FakeNode.CLUSTER,
            FakeNode.NODE,
            pod.getMetadata().getUid(),
            EciStatus.FAILED));

    node.poll();

    assertThat(node.eci.instance("eci-replaced")).isEmpty();
    assertThat(node.eci.instance("eci-1")).isPresent();
  }

  @Test
  void aLivePodsOwnInstanceIsKeptEvenWhenItHasEnded() {
    node.running("web");
    node.eci.setStatus("eci-1", EciStatus.SUCCEEDED);

    node.poll();
    node.poll();

    assertThat(node.eci.instance("eci-1")).isPresent();
    assertThat(node.phase("web")).isEqualTo("Succeeded");
  }

  @Test
  void aPodsInstanceIsDeletedOnceThePodHasLeftTheCluster() {
    node.running("web");
    node.pods.remove(node.pods.pod("web"));

    node.poll();

    assertThat(node.eci.instances()).isEmpty();
  }

  @Test
  void thePodOfAnInstanceBeingCreatedIsLiveSoTheInstanceIsKept() {
    node.bound(TestPods.labelledBuilder("web"));
    node.settle();

    node.poll();

    assertThat(node.eci.calls(DELETE)).isZero();
  }

  private static Instance instance(
      String id, String cluster, String nodeName, String podUid, EciStatus status) {
    return new Instance(
        id,
        id,
        Optional.of(status),
        status.wire(),
        "cn-hangzhou-b",
        "vsw-b",
        "10.2.0.7",
        Map.of(
            InstanceTags.CLUSTER,
            cluster,
            InstanceTags.NODE,
            nodeName,
            InstanceTags.POD_UID,
            podUid),
        List.of(),
        List.of(),
        Instant.parse("2026-01-01T00:00:00Z"));
  }
}
