package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who acts for the cluster, and when: the decisions of the ownership Lease, on a manual lane. */
class OwnershipLeaseTest {

  private static final Duration RETRY = Duration.ofSeconds(2);

  private final FakeElection election = new FakeElection();
  private final ManualWork work = new ManualWork();
  private final OwnershipLease lease =
      new OwnershipLease(
          election,
          "engine-a",
          "virtual-kubelet-cn-hangzhou-b",
          new OwnershipLease.Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), RETRY),
          work);
  private final AtomicBoolean registers = new AtomicBoolean(true);
  private final AtomicInteger takeOvers = new AtomicInteger();
  private final AtomicInteger actingTerms = new AtomicInteger();

  private void start() {
    lease.start(
        () -> {
          takeOvers.incrementAndGet();
          return registers.get();
        },
        actingTerms::incrementAndGet);
  }

  @Test
  void actsOnlyOnceTheTakeOverOnTheNodesLaneHasRegisteredTheNode() {
    start();
    election.gain();
    assertThat(lease.isOwner()).as("the elector's thread never takes over itself").isFalse();

    work.runQueued();

    assertThat(lease.isOwner()).isTrue();
    assertThat(takeOvers).hasValue(1);
    assertThat(actingTerms).hasValue(1);
  }

  @Test
  void aTakeOverThatFailsIsRetriedAfterTheRetryPeriodStillNotActing() {
    registers.set(false);
    start();
    election.gain();
    work.runQueued();

    assertThat(lease.isOwner()).isFalse();
    assertThat(work.scheduledDelays()).containsExactly(RETRY);

    registers.set(true);
    work.runScheduled();
    assertThat(lease.isOwner()).isTrue();
    assertThat(takeOvers).hasValue(2);
  }

  @Test
  void aCandidateCompetesAtOnceWhenTheOtherHolderReleasesTheLease() {
    start();
    election.heldBy("engine-b");

    election.releasedByHolder();

    assertThat(election.cancelled()).as("the waiting election is cut short").isTrue();
    assertThat(work.scheduledDelays()).containsExactly(Duration.ZERO);
    work.runScheduled();
    assertThat(election.runs).isEqualTo(2);
  }

  @Test
  void anOwnersElectionIsNeverCutShortByARelease() {
    start();
    election.gain();
    work.runQueued();
    election.heldBy("engine-b");

    election.releasedByHolder();

    assertThat(election.cancelled()).isFalse();
    assertThat(lease.isOwner()).isTrue();
  }

  @Test
  void losingTheLeaseStopsEveryWriteAtOnce() {
    start();
    election.gain();
    work.runQueued();

    election.lose();

    assertThat(lease.isOwner()).isFalse();
  }

  @Test
  void aTakeOverStillQueuedWhenTheLeaseIsLostNeverRuns() {
    start();
    election.gain();
    election.lose();

    work.runQueued();

    assertThat(takeOvers).hasValue(0);
    assertThat(lease.isOwner()).isFalse();
  }

  @Test
  void aLeaseLostWhileTheNodeIsBeingRegisteredNeverStartsActing() {
    lease.start(
        () -> {
          election.lose();
          return true;
        },
        actingTerms::incrementAndGet);
    election.gain();

    work.runQueued();

    assertThat(lease.isOwner()).isFalse();
    assertThat(actingTerms).hasValue(0);
  }

  @Test
  void aRetryOfAnEarlierTermIsDroppedOnceTheLeaseIsLost() {
    registers.set(false);
    start();
    election.gain();
    work.runQueued();
    election.lose();

    registers.set(true);
    work.runScheduled();

    assertThat(takeOvers).hasValue(1);
    assertThat(lease.isOwner()).isFalse();
  }

  @Test
  void everyTermTheLeaseIsRegainedStartsActingAgain() {
    start();
    election.gain();
    work.runQueued();
    election.lose();
    election.gain();
    work.runQueued();

    assertThat(lease.isOwner()).isTrue();
    assertThat(actingTerms).hasValue(2);
  }

  @Test
  void anElectionThatGivesUpIsRunAgainAfterTheRetryPeriod() {
    start();
    election.gain();
    work.runQueued();

    election.end();

    assertThat(lease.isOwner()).isFalse();
    assertThat(work.scheduledDelays()).containsExactly(RETRY);
    work.runScheduled();
    assertThat(election.runs).isEqualTo(2);
  }

  @Test
  void closingAnOwnerCancelsTheElectionAndReleasesTheLease() {
    start();
    election.gain();
    work.runQueued();

    lease.close();

    assertThat(lease.isOwner()).isFalse();
    assertThat(election.cancelled()).isTrue();
    assertThat(election.releases).isEqualTo(1);
    work.runScheduled();
    assertThat(election.runs).as("no election after close").isEqualTo(1);
  }

  @Test
  void closingAStandbyLeavesTheLeaseToItsHolder() {
    start();

    lease.close();

    assertThat(election.releases).isZero();
    assertThat(election.cancelled()).isTrue();
  }

  @Test
  void anOwnerThatStopsActingFirstStillReleasesWhenItLeaves() {
    start();
    election.gain();
    work.runQueued();

    boolean owned = lease.stopActing();
    assertThat(lease.isOwner()).isFalse();
    lease.leave(owned);

    assertThat(owned).isTrue();
    assertThat(election.releases).isEqualTo(1);
  }
}
