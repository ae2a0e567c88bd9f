package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.DESCRIBE;
import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciException;
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

/** syncPodStatusFromProvider and updatePodStatus: what a poll reads, describes and writes. */
@ExtendWith(NoSockets.class)
class StatusPollTest {

  private final FakeNode node = new FakeNode();

  @Test
  void aRunningInstanceMakesItsPodRunningWithItsIdAndZoneInTheSameWrite() {
    node.bound("web");
    node.settle();

    node.poll();

    assertThat(node.phase("web")).isEqualTo("Running");
    assertThat(node.pods.writes("status"))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.annotations())
                  .containsEntry(PodController.INSTANCE_ANNOTATION, "eci-1")
                  .containsEntry(PodController.ZONE_ANNOTATION, "cn-hangzhou-b");
              assertThat(w.status().getPodIP()).startsWith("10.b.");
            });
  }

  @Test
  void anInstanceWhoseStatusDidNotChangeIsNeitherDescribedNorWrittenAgain() {
    node.running("web");
    int describes = node.eci.calls(DESCRIBE);

    node.poll();
    node.poll();

    assertThat(node.eci.calls(DESCRIBE)).isEqualTo(describes);
    assertThat(node.pods.writes("status")).hasSize(1);
    assertThat(node.eci.calls(STATUS)).isEqualTo(3);
  }

  @Test
  void aChangedInstanceIsDescribedAndItsPodWritten() {
    node.running("web");

    node.eci.setStatus("eci-1", EciStatus.SUCCEEDED);
    node.poll();

    assertThat(node.phase("web")).isEqualTo("Succeeded");
  }

  @Test
  void changedInstancesAreDescribedTwentyAtATime() {
    for (int i = 0; i < 25; i++) {
      node.bound("web-" + i);
    }
    node.settle();

    node.poll();

    assertThat(node.eci.calls(DESCRIBE)).isEqualTo(2);
    assertThat(node.pods.cachedPods())
        .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
  }

  @Test
  void aPodsStatusIsHandedToTheWritesAsSoonAsItsPageIsDescribed() {
    for (int i = 0; i < 25; i++) {
      node.bound("web-" + i);
    }
    node.settle();
    int[] queuedAtSecondPage = {-1};
    node.eci.duringNext(DESCRIBE, () -> {});
    node.eci.duringNext(DESCRIBE, () -> queuedAtSecondPage[0] = node.statusWrites.size());

    node.directions.poll.syncPodStatusFromProvider();

    assertThat(queuedAtSecondPage[0]).isEqualTo(StatusPoll.DESCRIBE_PAGE);
    node.settle();
    assertThat(node.pods.writes("status")).hasSize(25);
  }

  @Test
  void anInstanceMissingFromOnePollLeavesItsPodAlone() {
    node.running("web");

    Instance instance = node.eci.instance("eci-1").orElseThrow();
    node.eci.vanish("eci-1");
    node.poll();
    node.eci.put(instance);
    node.poll();
    node.eci.vanish("eci-1");
    node.poll();

    assertThat(node.phase("web")).isEqualTo("Running");
    assertThat(node.events.withReason("InstanceGone")).isEmpty();
  }

  @Test
  void aPodWhoseInstanceTwoPollsInARowMissFailsAsInstanceGone() {
    node.running("web");

    node.eci.vanish("eci-1");
    node.poll();
    node.poll();

    assertThat(node.phase("web")).isEqualTo("Failed");
    assertThat(node.pods.pod("web").getStatus().getReason()).isEqualTo("InstanceGone");
    assertThat(node.events.withReason("InstanceGone")).hasSize(1);
  }

  @Test
  void aPodAdoptedWithAnInstanceThatNoLongerExistsFails() {
    node.bound(
        TestPods.labelledBuilder("web")
            .editMetadata()
            .addToAnnotations(PodController.INSTANCE_ANNOTATION, "eci-lost")
            .endMetadata());
    node.settle();

    node.poll();
    node.poll();

    assertThat(node.pods.pod("web").getStatus().getReason()).isEqualTo("InstanceGone");
  }

  @Test
  void anInstanceFoundByItsPodUidTagIsTiedToItsPodAfterARestart() {
    Pod pod = node.bound("web");
    node.settle();
    FakeNode restarted = new FakeNode();
    restarted.eci.put(node.eci.instance("eci-1").orElseThrow());
    restarted.pods.add(node.pods.pod("web"));

    restarted.poll();

    assertThat(restarted.known.instanceOf(pod.getMetadata().getUid())).contains("eci-1");
    assertThat(restarted.annotation("web", PodController.INSTANCE_ANNOTATION)).isEqualTo("eci-1");
    assertThat(restarted.phase("web")).isEqualTo("Running");
  }

  @Test
  void ofTwoInstancesTaggedWithOnePodTheLaterIsThePods() {
    Pod pod = node.pods.add(TestPods.labelled("web"));
    node.eci.put(instance("eci-old", pod, Instant.parse("2026-01-01T00:00:00Z")));
    node.eci.put(instance("eci-new", pod, Instant.parse("2026-01-02T00:00:00Z")));

    node.poll();

    assertThat(node.annotation("web", PodController.INSTANCE_ANNOTATION)).isEqualTo("eci-new");
  }

  @Test
  void aStatusWriteTheApiServerRefusedIsMadeAgainByTheNextPoll() {
    node.bound("web");
    node.settle();
    node.pods.refuseNextWrite(409);

    node.poll();
    assertThat(node.phase("web")).isNull();
    node.poll();

    assertThat(node.phase("web")).isEqualTo("Running");
  }

  @Test
  void anObservationForAnInstanceThePodNoLongerRunsAsIsNotWritten() {
    Pod pod = node.bound("web");
    node.settle();
    node.directions.poll.syncPodStatusFromProvider();

    node.known.runsAs(pod.getMetadata().getUid(), "eci-other");
    node.statusWrites.drain();

    assertThat(node.pods.writes("status")).isEmpty();
  }

  @Test
  void nothingIsPolledWhileTheEngineDoesNotOwnTheCluster() {
    node.running("web");
    node.owner.set(false);
    int reads = node.eci.calls(STATUS);

    node.poll();

    assertThat(node.eci.calls(STATUS)).isEqualTo(reads);
  }

  @Test
  void nothingIsPolledBeforeTheCacheHasListedThePods() {
    node.pods.synced(false);

    node.poll();

    assertThat(node.eci.calls(STATUS)).isZero();
  }

  @Test
  void aFailedStatusReadIsToldToTheNodesHealthAndAGoodOneClearsIt() {
    node.eci.failNext(STATUS, EciException.Kind.AUTHENTICATION);

    node.poll();
    node.poll();

    assertThat(node.eciHealth).hasSize(2);
    assertThat(node.eciHealth.get(0))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(EciException.Kind.AUTHENTICATION));
    assertThat(node.eciHealth.get(1)).isEmpty();
  }

  private static Instance instance(String id, Pod pod, Instant createdAt) {
    return new Instance(
        id,
        "web",
        Optional.of(EciStatus.RUNNING),
        "Running",
        "cn-hangzhou-b",
        "vsw-b",
        "10.2.0.9",
        Map.of(
            InstanceTags.CLUSTER, FakeNode.CLUSTER,
            InstanceTags.NODE, FakeNode.NODE,
            InstanceTags.POD_UID, pod.getMetadata().getUid()),
        List.of(),
        List.of(),
        createdAt);
  }
}
