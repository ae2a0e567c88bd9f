package io.eci.vnode.service.clusterstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.service.clusterstate.StatusDerivation.Registration;
import io.eci.vnode.service.clusterstate.StatusView.DeregistrationProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusDerivationTest {

  private static final UUID ID = UUID.randomUUID();
  private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
  private static final Registration RUNNING = new Registration(true, false);

  @Test
  void aCurrentReadyReportOfAHeldClaimIsRunning() {
    StatusView s = derive(RUNNING, Optional.of("replica-1"), report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("running");
    assertThat(s.nodeReady()).isTrue();
    assertThat(s.stale()).isFalse();
    assertThat(s.owner()).isEqualTo("replica-1");
  }

  @Test
  void aReportOlderThanTwoPeriodsIsStaleAndNeverReady() {
    StatusView s = derive(RUNNING, Optional.of("replica-1"), report(true, Duration.ofSeconds(-1)));

    assertThat(s.state()).isEqualTo("failing");
    assertThat(s.stale()).isTrue();
    assertThat(s.nodeReady()).isFalse();
  }

  @Test
  void aPausedClusterIsNeitherReadyNorOwnedWhateverItsLastReportSaid() {
    StatusView s =
        derive(new Registration(true, true), Optional.empty(), report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("paused");
    assertThat(s.nodeReady()).isFalse();
    assertThat(s.owner()).isNull();
  }

  @Test
  void anUnmanagedClusterSaysNothingOfANodeThisServiceDoesNotRun() {
    StatusView s =
        derive(
            new Registration(false, false), Optional.empty(), report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("unmanaged");
    assertThat(s.nodeReady()).isNull();
    assertThat(s.owner()).isNull();
  }

  @Test
  void anUnmanagedClusterShowsItsAgentsCurrentReportAndNeverAReplicasOldOne() {
    ClusterStatus byAgent = report(true, Duration.ofSeconds(3));
    byAgent.owner = "agent-pod-1/c/3";
    Registration unmanaged =
        new Registration(false, false, Optional.empty(), Optional.of(agent("agent-pod-1/c/3")));

    StatusView s = derive(unmanaged, Optional.empty(), byAgent);
    StatusView old = derive(unmanaged, Optional.empty(), report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("unmanaged");
    assertThat(s.nodeReady()).isTrue();
    assertThat(s.owner()).isEqualTo("agent-pod-1/c/3");
    assertThat(old.nodeReady()).isNull();
    assertThat(old.owner()).isNull();
  }

  @Test
  void aSwitchOfModeUnderWayIsAHandoffShowingWhoeverReportedLast() {
    StatusView.HandoffView underWay =
        new StatusView.HandoffView("unmanaged", "token:t1", NOW.minusSeconds(1), null, null);
    Registration switching =
        new Registration(false, false, Optional.of(underWay), Optional.empty());

    StatusView s = derive(switching, Optional.empty(), report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("handoff");
    assertThat(s.owner()).isEqualTo("replica-old");
    assertThat(s.handoff()).isEqualTo(underWay);
  }

  @Test
  void aPausedClusterIsPausedEvenWithASwitchOfModeUnderWay() {
    StatusView.HandoffView underWay =
        new StatusView.HandoffView("managed", "token:t1", NOW.minusSeconds(1), null, null);

    StatusView s =
        derive(
            new Registration(true, true, Optional.of(underWay), Optional.empty()),
            Optional.empty(),
            report(true, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("paused");
  }

  @Test
  void aDeregistrationUnderWayComesFirstAndShowsItsProgress() {
    DeregistrationProgress progress =
        new DeregistrationProgress(NOW, 3, "retrying", LastError.of("boom", NOW), NOW);
    StatusView s =
        StatusDerivation.derive(
            ID,
            RUNNING,
            Optional.of("replica-1"),
            Optional.of(report(true, Duration.ofSeconds(3))),
            Optional.of(progress),
            NOW);

    assertThat(s.state()).isEqualTo("deregistering");
    assertThat(s.nodeReady()).isFalse();
    assertThat(s.owner()).isNull();
    assertThat(s.deregistration()).isEqualTo(progress);
  }

  @Test
  void aNotReadyReportIsFailingAndNamesTheCurrentHolder() {
    StatusView s = derive(RUNNING, Optional.of("replica-2"), report(false, Duration.ofSeconds(3)));

    assertThat(s.state()).isEqualTo("failing");
    assertThat(s.nodeReady()).isFalse();
    assertThat(s.owner()).isEqualTo("replica-2");
  }

  @Test
  void nothingReportedYetIsNotReported() {
    StatusView s =
        StatusDerivation.derive(
            ID, RUNNING, Optional.empty(), Optional.empty(), Optional.empty(), NOW);

    assertThat(s.reported()).isFalse();
    assertThat(s.nodeReady()).isNull();
    assertThat(s.stale()).isNull();
  }

  private static StatusView derive(
      Registration registration, Optional<String> owner, ClusterStatus report) {
    return StatusDerivation.derive(
        ID, registration, owner, Optional.of(report), Optional.empty(), NOW);
  }

  private static StatusView.AgentView agent(String holder) {
    return new StatusView.AgentView(
        holder, "0.1.0", holder, "virtual-kubelet-cn-hangzhou-a", 3L, NOW);
  }

  /** A report, current for {@code currentFor} more from now (negative: no longer). */
  private static ClusterStatus report(boolean ready, Duration currentFor) {
    ClusterStatus s = new ClusterStatus();
    s.clusterId = ID;
    s.nodeReady = ready;
    s.owner = "replica-old";
    s.updatedAt = NOW.minusSeconds(5);
    s.currentUntil = NOW.plus(currentFor);
    return s;
  }
}
