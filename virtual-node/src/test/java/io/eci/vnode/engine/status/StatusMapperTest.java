package io.eci.vnode.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusMapperTest {

  private static final Instant CREATED = Instant.parse("2026-11-24T10:00:00Z");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Scheduling, Pending",
    "Pending, Pending",
    "Restarting, Pending",
    "Updating, Pending",
    "Running, Running",
    "Terminating, Running",
    "Succeeded, Succeeded",
    "Failed, Failed",
    "Expired, Failed",
    "ScheduleFailed, Failed"
  })
  void showsEachInstanceStatusAsTheOfficialPodPhase(String eci, String phase) {
    assertThat(StatusMapper.podStatus(instance(eci, "", List.of(), List.of())).getPhase())
        .isEqualTo(phase);
  }

  @Test
  void aRunningInstanceGivesTheStatusOfARunningPodWithTheInstanceAddress() {
    var app = container("Running", "Running", null, 2, 137);
    PodStatus status =
        StatusMapper.podStatus(instance("Running", "10.1.0.7", List.of(app), List.of()));

    assertThat(status.getPodIP()).isEqualTo("10.1.0.7");
    assertThat(status.getHostIP()).isEqualTo("10.1.0.7");
    assertThat(status.getStartTime()).isEqualTo(CREATED.toString());
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    var c = status.getContainerStatuses().get(0);
    assertThat(c.getReady()).isTrue();
    assertThat(c.getRestartCount()).isEqualTo(2);
    assertThat(c.getState().getRunning().getStartedAt()).isEqualTo(CREATED.toString());
    assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(c.getContainerID()).isEqualTo("eci://eci-1/app");
  }

  @Test
  void aTerminatedContainerCarriesItsExitCode() {
    var app = container("Terminated", "Error", 3, 0, null);
    PodStatus status =
        StatusMapper.podStatus(instance("Failed", "10.1.0.7", List.of(app), List.of()));
    assertThat(status.getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(3);
    assertThat(status.getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("Error");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aWaitingContainerShowsItsReason() {
    var app = container("Waiting", "ContainerCreating", null, 0, null);
    PodStatus status = StatusMapper.podStatus(instance("Pending", "", List.of(app), List.of()));
    assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(status.getPodIP()).isNull();
  }

  @Test
  void aScheduleFailureExplainsItselfFromTheInstancesWarning() {
    var noStock =
        new Instance.Event(
            "Warning",
            "NoStock",
            "Create ECI failed because the specified instance is out of stock.");
    PodStatus status =
        StatusMapper.podStatus(instance("ScheduleFailed", "", List.of(), List.of(noStock)));
    assertThat(status.getReason()).isEqualTo("NoStock");
    assertThat(status.getMessage()).contains("out of stock");
    assertThat(condition(status, "PodScheduled").getStatus()).isEqualTo("False");
  }

  @Test
  void anUnknownInstanceStatusIsUnknownAndSaysSo() {
    PodStatus status = StatusMapper.podStatus(instance("Hibernating", "", List.of(), List.of()));
    assertThat(status.getPhase()).isEqualTo("Unknown");
    assertThat(status.getMessage()).contains("Hibernating");
  }

  private static PodCondition condition(PodStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static Instance.ContainerStatus container(
      String state, String reason, Integer exitCode, int restarts, Integer lastExit) {
    return new Instance.ContainerStatus(
        "app",
        "nginx:1.27",
        state,
        reason,
        exitCode,
        CREATED,
        exitCode == null ? null : CREATED.plusSeconds(5),
        restarts,
        lastExit);
  }

  private static Instance instance(
      String status,
      String ip,
      List<Instance.ContainerStatus> containers,
      List<Instance.Event> events) {
    return new Instance(
        "eci-1",
        "pod",
        EciStatus.fromWire(status),
        status,
        "cn-hangzhou-a",
        "vsw-a",
        ip,
        Map.of(),
        containers,
        events,
        CREATED);
  }
}
