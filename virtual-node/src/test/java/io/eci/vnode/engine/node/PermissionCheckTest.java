package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.node.FakeNode.Written;
import io.eci.vnode.engine.node.Permissions.Permission;
import io.eci.vnode.sandbox.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When an owner asks what the cluster's RBAC refuses it, and what it tells. */
class PermissionCheckTest {

  private static final Permission PATCH_STATUS = new Permission("patch", "", "pods/status", "", "");

  private final FakeNode node = new FakeNode();
  private final ManualWork work = new ManualWork();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final AtomicBoolean owner = new AtomicBoolean(true);
  private final AtomicInteger asked = new AtomicInteger();
  private volatile List<Permission> missing = List.of();
  private final PermissionCheck check =
      new PermissionCheck(
          node,
          () -> {
            asked.incrementAndGet();
            return missing;
          },
          owner::get,
          work,
          clock);

  @Test
  void aMissingPermissionIsToldOnceByAWarningEventAndStaysInTheProblem() {
    missing = List.of(PATCH_STATUS);

    check.checkIfOwner();
    check.checkIfOwner();

    assertThat(node.written).containsExactly(new Written("Event", "Warning", "MissingPermissions"));
    assertThat(check.problem())
        .hasValueSatisfying(p -> assertThat(p).contains("patch pods/status"));
    assertThat(check.since()).contains(clock.instant());
  }

  @Test
  void aGrantIsToldByANormalEventAndClearsTheProblem() {
    missing = List.of(PATCH_STATUS);
    check.checkIfOwner();
    missing = List.of();

    check.checkIfOwner();

    assertThat(node.written)
        .containsExactly(
            new Written("Event", "Warning", "MissingPermissions"),
            new Written("Event", "Normal", "PermissionsGranted"));
    assertThat(check.problem()).isEmpty();
    assertThat(check.since()).isEmpty();
  }

  @Test
  void whileAPermissionIsMissingItAsksAgainEveryFifteenSeconds() {
    missing = List.of(PATCH_STATUS);

    check.checkIfOwner();

    assertThat(work.scheduledDelays()).containsExactly(Duration.ofSeconds(15));
    work.runScheduled();
    assertThat(asked).hasValue(2);
  }

  @Test
  void aBurstOfRefusedWritesAsksOnceASecondLater() {
    for (int i = 0; i < 50; i++) {
      check.denied();
    }

    assertThat(work.scheduledDelays()).containsExactly(Duration.ofSeconds(1));
    work.runScheduled();
    assertThat(asked).hasValue(1);
  }

  @Test
  void aRefusalRightAfterACheckOrWhileAPermissionIsKnownMissingAsksNothing() {
    check.checkIfOwner();
    check.denied();
    assertThat(work.scheduledDelays()).isEmpty();

    missing = List.of(PATCH_STATUS);
    clock.advance(Duration.ofMinutes(1));
    check.checkIfOwner();
    work.runScheduled(); // the 15 s re-check, which is the only one
    clock.advance(Duration.ofMinutes(1));
    check.denied();
    assertThat(work.scheduledDelays()).containsExactly(Duration.ofSeconds(15));
  }

  @Test
  void aTakeOverAsksOnTheNodesLaneUnlessItAskedWithinTheMinute() {
    check.afterTakeOver();
    assertThat(asked).as("queued, not asked on the take-over itself").hasValue(0);
    work.runQueued();
    assertThat(asked).hasValue(1);

    clock.advance(Duration.ofSeconds(30));
    check.afterTakeOver();
    work.runQueued();
    assertThat(asked).hasValue(1);

    clock.advance(Duration.ofMinutes(1));
    check.afterTakeOver();
    work.runQueued();
    assertThat(asked).hasValue(2);
  }

  @Test
  void aStandbyDoesNotAsk() {
    owner.set(false);

    check.checkIfOwner();
    check.denied();
    work.runScheduled();

    assertThat(asked).hasValue(0);
  }

  @Test
  void anApiServerThatCannotBeAskedChangesNothing() {
    PermissionCheck unanswered =
        new PermissionCheck(
            node,
            () -> {
              throw new IllegalStateException("connection refused");
            },
            owner::get,
            work,
            clock);

    unanswered.checkIfOwner();

    assertThat(node.written).isEmpty();
    assertThat(unanswered.problem()).isEmpty();
    assertThat(work.scheduledDelays()).isEmpty();
  }
}
