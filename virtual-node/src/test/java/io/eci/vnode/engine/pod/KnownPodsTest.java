package io.eci.vnode.engine.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.pod.PodController.PodRecord;
import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the engine believes of each pod, and the ledger a host records from it. */
@ExtendWith(NoSockets.class)
class KnownPodsTest {

  private final FakeNode node = new FakeNode();

  @Test
  void aPodsRecordShowsTheInstanceItRunsAsAndItsZone() {
    node.running("web");

    assertThat(records())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.instanceId()).contains("eci-1");
              assertThat(r.zone()).contains("cn-hangzhou-b");
              assertThat(r.phase()).isEqualTo("Running");
              assertThat(r.deletedAt()).isEmpty();
            });
  }

  @Test
  void aPodWithoutAPhaseYetIsPending() {
    node.pods.add(TestPods.labelled("web"));

    assertThat(records())
        .singleElement()
        .satisfies(r -> assertThat(r.phase()).isEqualTo("Pending"));
  }

  @Test
  void aDeletedPodStaysInTheRecordsUntilItLeftBeforeTheCutOff() {
    node.running("web");
    Pod pod = node.pods.pod("web");
    Instant left = Instant.parse("2026-12-01T00:00:00Z");
    node.known.departed(pod, left);

    assertThat(node.known.records(List.of(), left.minus(Duration.ofMinutes(1))))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.deletedAt()).contains(left);
              assertThat(r.instanceId()).contains("eci-1");
            });
    assertThat(node.known.records(List.of(), left.plusSeconds(1))).isEmpty();
  }

  @Test
  void aPodThatLeftIsForgottenButForItsRecord() {
    Pod pod = node.running("web");

    node.known.departed(pod, Instant.now());

    assertThat(node.known.instanceOf(pod.getMetadata().getUid())).isEmpty();
    assertThat(node.known.stopOf(pod.getMetadata().getUid())).isEmpty();
  }

  @Test
  void anInstanceMustBeMissedTwiceInARowToBeGone() {
    assertThat(node.known.missedAndGone("uid")).isFalse();
    node.known.found("uid");
    assertThat(node.known.missedAndGone("uid")).isFalse();
    assertThat(node.known.missedAndGone("uid")).isTrue();
    assertThat(node.known.missedAndGone("uid")).as("the count starts again").isFalse();
  }

  private List<PodRecord> records() {
    return node.known.records(node.pods.cachedPods(), Instant.EPOCH);
  }
}
