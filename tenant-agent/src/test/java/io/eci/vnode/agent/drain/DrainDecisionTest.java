package io.eci.vnode.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.agent.configuration.RemoteConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrainDecisionTest {

  static RemoteConfig config(String mode) {
    return new RemoteConfig(
        "c-1", 4, mode, false, "cn-hangzhou", List.of("vsw-a"), "sg-1", true, null, null, null);
  }

  @Test
  void anUnmanagedClusterIsDrained() {
    assertThat(
            DrainDecision.decide(
                Optional.of(config("unmanaged")), Optional.empty(), Optional.empty()))
        .isInstanceOf(DrainDecision.Drain.class);
  }

  @Test
  void aManagedClusterIsLeftToTheService() {
    DrainDecision decision =
        DrainDecision.decide(Optional.of(config("managed")), Optional.empty(), Optional.empty());
    assertThat(decision).isInstanceOf(DrainDecision.LeaveToService.class);
    assertThat(((DrainDecision.LeaveToService) decision).reason()).contains("nothing was removed");
  }

  @Test
  void theServicesAnswerWinsOverTheCache() {
    assertThat(
            DrainDecision.decide(
                Optional.of(config("managed")), Optional.of(config("unmanaged")), Optional.empty()))
        .isInstanceOf(DrainDecision.LeaveToService.class);
  }

  @Test
  void withTheServiceDownTheCacheDecides() {
    DrainDecision decision =
        DrainDecision.decide(
            Optional.empty(), Optional.of(config("unmanaged")), Optional.of("refused"));
    assertThat(decision).isInstanceOf(DrainDecision.Drain.class);
    assertThat(((DrainDecision.Drain) decision).source()).isEqualTo("the cached configuration");
  }

  @Test
  void withNoConfigurationAtAllNothingIsRemovedAndTheDrainFails() {
    DrainDecision decision =
        DrainDecision.decide(Optional.empty(), Optional.empty(), Optional.of("connection refused"));
    assertThat(decision).isInstanceOf(DrainDecision.CannotTell.class);
    assertThat(((DrainDecision.CannotTell) decision).reason()).contains("connection refused");
  }
}
