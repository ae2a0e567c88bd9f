package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.DELETE;
import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.sandbox.testing.TestPods;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deleted pod: its instance is deleted once, the pod stays Terminating while the instance stops
 * and goes once it has, or when its grace period is over.
 */
@ExtendWith(NoSockets.class)
class PodDeletionTest {

  private final FakeNode node = new FakeNode();

  @BeforeEach
  void instancesTakeTimeToStop() {
    node.eci.stopsTakeTime();
  }

  @Test
  void aDeletedPodsInstanceIsDeletedOnceAndThePodStaysWhileItStops() {
    node.running("web");

    node.delete("web", 120);
    node.settle();
    node.poll();
    node.poll();
    node.change("web", b -> b.editMetadata().addToLabels("touched", "again").endMetadata());
    node.settle();

    assertThat(node.eci.calls(DELETE)).isEqualTo(1);
    assertThat(node.pods.pod("web")).isNotNull();
    assertThat(node.events.withReason("InstanceDeleted"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("ECI instance eci-1 deleted"));
  }

  @Test
  void aDeletedPodGoesOnceTwoPollsInARowNoLongerFindItsInstance() {
    node.running("web");
    node.delete("web", 120);
    node.settle();

    node.eci.finishStopping("eci-1");
    node.poll();
    assertThat(node.pods.pod("web")).as("after one poll that misses it").isNotNull();
    node.poll();

    assertThat(node.pods.pod("web")).isNull();
    assertThat(node.pods.writes("status"))
        .last()
        .satisfies(w -> assertThat(w.status().getPhase()).isEqualTo("Failed"));
    assertThat(node.pods.writes("remove")).hasSize(1);
  }

  @Test
  void aPollThatBeganBeforeTheDeleteDoesNotCountTowardsTheInstanceBeingGone() {
    node.running("web");
    // The delete is seen while a poll is reading, and the instance is gone by the next read.
    node.eci.duringNext(
        STATUS,
        () -> {
          node.delete("web", 120);
          node.syncs.drain();
          node.eci.finishStopping("eci-1");
        });
    node.poll();
    node.poll();

    assertThat(node.pods.pod("web")).as("one poll after the delete missed it").isNotNull();
    node.poll();
    assertThat(node.pods.pod("web")).isNull();
  }

  @Test
  void aPodWhoseInstanceOutlastsTheGracePeriodGoesWhenTheGracePeriodIsOver() {
    node.running("web");
    node.delete("web", 2);
    node.settle();

    node.advance(Duration.ofSeconds(1));
    assertThat(node.pods.pod("web")).isNotNull();
    node.advance(Duration.ofSeconds(2));

    assertThat(node.pods.pod("web")).isNull();
    assertThat(node.eci.calls(DELETE)).isEqualTo(1);
    assertThat(node.eci.instances()).as("the instance still stopping in ECI").hasSize(1);
  }

  @Test
  void aSecondDeleteWithAShorterGracePeriodEndsTheWaitSooner() {
    node.running("web");
    node.delete("web", 120);
    node.settle();

    node.delete("web", 2);
    node.settle();
    node.advance(Duration.ofSeconds(3));

    assertThat(node.pods.pod("web")).isNull();
    assertThat(node.eci.calls(DELETE)).isEqualTo(1);
  }

  @Test
  void theGracePeriodHoldsWhileEciCannotBeRead() {
    node.running("web");
    for (int i = 0; i < 10; i++) {
      node.eci.failNext(STATUS, EciException.Kind.TRANSIENT);
    }
    node.delete("web", 2);
    node.settle();

    node.poll();
    node.advance(Duration.ofSeconds(3));

    assertThat(node.pods.pod("web")).isNull();
    assertThat(node.eci.calls(DELETE)).isEqualTo(1);
  }

  @Test
  void aPodAFinalizerKeepsIsStoppedOnceAndShowsItNoLongerRuns() {
    node.bound(
        TestPods.labelledBuilder("web")
            .editMetadata()
            .addToFinalizers("example.com/hold")
            .endMetadata());
    node.settle();
    node.poll();

    node.delete("web", 1);
    node.settle();
    node.advance(Duration.ofSeconds(2));
    node.poll();
    node.poll();
    node.change("web", b -> b.editMetadata().addToLabels("touched", "again").endMetadata());
    node.settle();

    assertThat(node.phase("web")).isEqualTo("Failed");
    assertThat(node.pods.pod("web").getMetadata().getFinalizers())
        .containsExactly("example.com/hold");
    assertThat(node.pods.writes("remove")).hasSize(1);
    assertThat(node.eci.calls(DELETE)).isEqualTo(1);
    assertThat(node.events.withReason("InstanceDeleted")).hasSize(1);
  }

  @Test
  void aDeletedPodWithoutAnInstanceIsRemovedAtOnce() {
    node.bound(TestPods.labelledBuilder("job").withNewStatus().withPhase("Succeeded").endStatus());
    node.settle();

    node.delete("job", 30);
    node.settle();

    assertThat(node.pods.pod("job")).isNull();
    assertThat(node.eci.calls(DELETE)).isZero();
    assertThat(node.pods.writes("status")).as("a pod that has ended keeps its phase").isEmpty();
  }

  @Test
  void aNewPodOfTheSameNameIsNotRemovedForTheOldOne() {
    node.running("web");
    node.delete("web", 120);
    node.settle();
    node.eci.finishStopping("eci-1");
    // The old pod went (force-deleted) and a new one of the same name is in the API server, while
    // the cache still shows the old one.
    node.pods.replacedInApiServer("web", "uid-new");

    node.poll();
    node.poll();

    assertThat(node.pods.writes("remove")).isEmpty();
    assertThat(node.phase("web")).isEqualTo("Running");
  }

  @Test
  void nothingIsDeletedWhileTheEngineDoesNotOwnTheCluster() {
    node.running("web");
    node.owner.set(false);

    node.delete("web", 0);
    node.settle();
    node.deletions.enqueue("default/web");
    node.settle();

    assertThat(node.eci.calls(DELETE)).isZero();
    assertThat(node.pods.pod("web")).isNotNull();
  }

  @Test
  void aFailedInstanceDeleteIsTriedAgainByTheSyncQueue() {
    node.running("web");
    node.eci.failNext(DELETE, EciException.Kind.THROTTLED);
    node.delete("web", 120);
    node.settle();
    assertThat(node.syncs.failures()).hasSize(1);

    node.syncs.retry();
    node.settle();

    assertThat(node.eci.calls(DELETE)).isEqualTo(2);
    assertThat(node.events.withReason("InstanceDeleted")).hasSize(1);
  }
}
