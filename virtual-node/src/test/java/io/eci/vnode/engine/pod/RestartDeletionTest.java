package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.DELETE;
import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.DESCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.pod.fake.NoSockets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The crash window: an engine that restarted between an instance's create and its pod's first
 * status write does not know the instance; a pod deleted meanwhile is kept until the instance is
 * found by its pod-uid tag and has stopped, and no instance is ever deleted twice.
 */
@ExtendWith(NoSockets.class)
class RestartDeletionTest {

  private final FakeNode before = new FakeNode();

  @Test
  void aPodDeletedWhileTheEngineWasDownIsKeptUntilTheInstanceItHadHasStopped() {
    before.eci.stopsTakeTime();
    created("web");
    FakeNode after = before.restarted();

    after.delete("web", 30);
    after.settle();

    assertThat(after.pods.pod("web")).as("kept while its instance stops").isNotNull();
    assertThat(after.eci.calls(DELETE)).isEqualTo(1);
    assertThat(after.eci.instance("eci-1").flatMap(i -> i.status()))
        .contains(EciStatus.TERMINATING);
    after.poll();
    assertThat(after.pods.pod("web")).isNotNull();

    after.eci.finishStopping("eci-1");
    after.poll();
    after.poll();

    assertThat(after.pods.pod("web")).isNull();
    assertThat(after.eci.calls(DELETE)).isEqualTo(1);
    assertThat(after.events.withReason("InstanceDeleted")).hasSize(1);
  }

  @Test
  void anInstanceTheEngineDeletedBeforeItRestartedIsWaitedForNotDeletedAgain() {
    before.eci.stopsTakeTime();
    created("web");
    before.eci.delete("eci-1");
    FakeNode after = before.restarted();

    after.delete("web", 30);
    after.settle();
    after.eci.finishStopping("eci-1");
    after.poll();
    after.poll();

    assertThat(after.pods.pod("web")).isNull();
    assertThat(after.eci.calls(DELETE)).as("the one before the restart").isEqualTo(1);
  }

  @Test
  void aPodWhoseInstanceCannotBeLookedUpIsKeptAndLookedUpAgain() {
    created("web");
    FakeNode after = before.restarted();
    after.eci.failNext(DESCRIBE, EciException.Kind.TRANSIENT);

    after.delete("web", 30);
    after.settle();

    assertThat(after.pods.pod("web")).isNotNull();
    assertThat(after.eci.instances()).hasSize(1);
    assertThat(after.syncs.failures()).hasSize(1);

    after.syncs.retry();
    after.settle();
    after.poll();
    after.poll();

    assertThat(after.eci.instances()).isEmpty();
    assertThat(after.pods.pod("web")).isNull();
  }

  @Test
  void aPodTheRestartedEngineFindsNoInstanceForIsRemovedAtOnce() {
    before.bound("never-created");
    FakeNode after = before.restarted();

    after.delete("never-created", 30);
    after.settle();

    assertThat(after.pods.pod("never-created")).isNull();
    assertThat(after.eci.calls(DELETE)).isZero();
  }

  @Test
  void anInstanceThePodsDeletionDeletedIsNotDeletedAgainByTheOrphanCollector() {
    before.eci.stopsTakeTime();
    before.running("web");
    before.delete("web", 1);
    before.settle();
    // A stale read still shows it Running after its pod went at the end of its grace period.
    before.eci.setStatus("eci-1", EciStatus.RUNNING);
    before.advance(Duration.ofSeconds(2));
    assertThat(before.pods.pod("web")).isNull();

    before.poll();
    before.poll();

    assertThat(before.eci.calls(DELETE)).isEqualTo(1);
  }

  @Test
  void anOrphanIsDeletedOnceEvenWhenAStaleReadShowsItAgain() {
    created("web");
    var instance = before.eci.instance("eci-1").orElseThrow();
    before.pods.markDeleted("web", 0);
    before.pods.remove(before.pods.pod("web"));

    before.poll();
    assertThat(before.eci.instances()).isEmpty();
    before.eci.put(instance);
    before.poll();

    assertThat(before.eci.calls(DELETE)).isEqualTo(1);
  }

  /** A bound pod whose instance was created, and no status written yet: no annotation. */
  private void created(String name) {
    before.bound(name);
    before.settle();
    assertThat(before.annotation(name, PodController.INSTANCE_ANNOTATION)).isNull();
    assertThat(before.eci.instances()).hasSize(1);
  }
}
