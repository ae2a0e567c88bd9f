package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.node.FakeNode.Written;
import io.eci.vnode.sandbox.testing.ManualClock;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the node says about its health, decided without an API server or ECI. */
class NodeHealthTest {

  private final FakeNode node = new FakeNode();
  private final ManualWork work = new ManualWork();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final AtomicBoolean owner = new AtomicBoolean(true);
  private final NodeHealth health = new NodeHealth(node, List::of, owner::get, work, clock);

  private static EciException failure(EciException.Kind kind, String code) {
    return new EciException(kind, code, code + ": ECI says no", null);
  }

  @Test
  void anUnreachableEciMakesTheNodeNotReadyOnceAndItsNextAnswerReadyAgain() {
    health.eci(Optional.of(failure(EciException.Kind.TRANSIENT, "ServiceUnavailable")));
    health.eci(Optional.of(failure(EciException.Kind.TRANSIENT, "ServiceUnavailable")));
    assertThat(health.eciHealthy()).isFalse();

    health.eci(Optional.empty());
    health.eci(Optional.empty());

    assertThat(node.written)
        .containsExactly(
            new Written("Ready", "False", "EciUnreachable"),
            new Written("Ready", "True", "VirtualNodeReady"));
    assertThat(health.eciHealthy()).isTrue();
    assertThat(health.lastError()).hasValueSatisfying(e -> assertThat(e).contains("ECI says no"));
    assertThat(health.lastErrorAt()).contains(clock.instant());
  }

  @Test
  void aNewTermThatRegistersTheNodeReadySaysReadyTooUntilEciAnswersOtherwise() {
    health.eci(Optional.of(failure(EciException.Kind.TRANSIENT, "ServiceUnavailable")));
    assertThat(health.eciHealthy()).isFalse();

    // The Lease was lost and taken back: registering reports the node Ready.
    assertThat(health.takeOver()).isTrue();

    assertThat(health.eciHealthy()).as("what the engine says matches the node").isTrue();
    health.eci(Optional.of(failure(EciException.Kind.TRANSIENT, "ServiceUnavailable")));
    assertThat(health.eciHealthy()).isFalse();
    assertThat(node.written).last().isEqualTo(new Written("Ready", "False", "EciUnreachable"));
  }

  @Test
  void rejectedCredentialsMakeTheNodeNotReadyWithTheirOwnReason() {
    health.eci(Optional.of(failure(EciException.Kind.AUTHENTICATION, "InvalidAccessKeyId")));

    assertThat(node.written)
        .containsExactly(new Written("Ready", "False", "EciCredentialsRejected"));
  }

  @Test
  void aFailureOfOnePodsOwnIsKeptAsTheLastErrorAndLeavesTheNodeReady() {
    health.eci(Optional.of(failure(EciException.Kind.NO_STOCK, "NoStock")));
    health.eci(Optional.of(failure(EciException.Kind.INVALID_REQUEST, "InvalidParameter")));

    assertThat(node.written).isEmpty();
    assertThat(health.eciHealthy()).isTrue();
    assertThat(health.lastError()).hasValueSatisfying(e -> assertThat(e).contains("Invalid"));
  }

  @Test
  void aStandbyNeverWritesToTheNode() {
    owner.set(false);

    health.eci(Optional.of(failure(EciException.Kind.TRANSIENT, "ServiceUnavailable")));

    assertThat(node.written).isEmpty();
    assertThat(health.lastError()).isEmpty();
  }

  @Test
  void aRegistrationTheApiServerRefusesIsTheLastApiErrorAndAsksForARetry() {
    node.refusal = new KubernetesClientException("nodes is forbidden", 403, null);

    assertThat(health.takeOver()).isFalse();

    assertThat(health.lastApiError())
        .hasValueSatisfying(e -> assertThat(e).startsWith("virtual node not registered"));
    node.refusal = null;
    assertThat(health.takeOver()).isTrue();
    assertThat(node.registrations).isEqualTo(1);
    assertThat(node.renewals).isEqualTo(1);
  }

  @Test
  void theHeartbeatRenewsAnOwnersLeaseAndOnlyPingsTheApiServerForAStandby() {
    health.heartbeat();
    owner.set(false);
    health.heartbeat();

    assertThat(node.renewals).isEqualTo(1);
    assertThat(node.pings).isEqualTo(1);
  }

  @Test
  void anUnreachableApiServerIsTheLastApiErrorUntilItAnswersAgain() {
    node.refusal = new KubernetesClientException("connect timed out");
    health.heartbeat();

    assertThat(health.lastApiError())
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .isEqualTo(
                        "API server https://10.0.0.1:6443 not reachable: connect timed out"));
    assertThat(health.lastApiErrorAt()).contains(clock.instant());

    node.refusal = null;
    health.heartbeat();
    assertThat(health.lastApiError()).isEmpty();
    assertThat(health.lastApiErrorAt()).isEmpty();
  }

  @Test
  void aNodeThatStopsIsLeftNotReadyWithTheReasonAndARefusalIsOnlyLogged() {
    health.reportStopped("VirtualNodePaused", "paused by the owner");
    node.refusal = new KubernetesClientException("gone");
    health.reportStopped("VirtualNodePaused", "paused by the owner");

    assertThat(node.written).containsExactly(new Written("Ready", "False", "VirtualNodePaused"));
  }

  @Test
  void startingBeatsEveryTenSecondsAndRechecksPermissionsEveryTenMinutes() {
    health.start();

    assertThat(work.periods).containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(10));
  }
}
