package io.eci.vnode.engine.status;

import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ECI instance as a pod status: the phase by Alibaba's official table, the instance's address as
 * the pod IP, each container's state with exit codes and restart counts, and conditions that say
 * why a pod is not ready. A pure function: the same instance always gives the same status.
 */
public final class StatusMapper {

  private StatusMapper() {}

  /**
   * The pod phase an instance in {@code status} is shown as, per Alibaba's official ECI lifecycle
   * table; ScheduleFailed, which the table leaves out, is Failed: the instance will never run.
   */
  public static PodPhase phase(EciStatus status) {
    return switch (status) {
      case SCHEDULING, PENDING, RESTARTING, UPDATING -> PodPhase.PENDING;
      case RUNNING, TERMINATING -> PodPhase.RUNNING;
      case SUCCEEDED -> PodPhase.SUCCEEDED;
      case SCHEDULE_FAILED, FAILED, EXPIRED -> PodPhase.FAILED;
    };
  }

  /** The status a pod running as {@code instance} has. */
  public static PodStatus podStatus(Instance instance) {
    PodPhase phase = instance.status().map(StatusMapper::phase).orElse(PodPhase.UNKNOWN);
    List<ContainerStatus> containers =
        instance.containers().stream().map(c -> container(instance, c)).toList();
    boolean allReady =
        !containers.isEmpty() && containers.stream().allMatch(ContainerStatus::getReady);
    String since = time(instance.createdAt());
    PodStatusBuilder status =
        new PodStatusBuilder()
            .withPhase(phase.wire())
            .withContainerStatuses(containers)
            .withConditions(conditions(instance, phase, allReady, since))
            .withStartTime(since);
    if (!instance.intranetIp().isEmpty()) {
      status
          .withPodIP(instance.intranetIp())
          .withPodIPs(new PodIP(instance.intranetIp()))
          .withHostIP(instance.intranetIp());
    }
    failure(instance).ifPresent(f -> status.withReason(f.reason()).withMessage(f.message()));
    return status.build();
  }

  /** Why a pod failed or cannot be placed, from the instance's status and events. */
  private record Failure(String reason, String message) {}

  private static Optional<Failure> failure(Instance instance) {
    if (instance.status().isEmpty()) {
      return Optional.of(
          new Failure(
              "UnknownInstanceStatus",
              "ECI reports status '"
                  + instance.rawStatus()
                  + "', which this version does not know"));
    }
    return switch (instance.status().get()) {
      case SCHEDULE_FAILED ->
          Optional.of(
              new Failure(
                  warning(instance).map(Instance.Event::reason).orElse("ScheduleFailed"),
                  warning(instance)
                      .map(Instance.Event::message)
                      .orElse("ECI could not place the instance")));
      case EXPIRED ->
          Optional.of(new Failure("SpotExpired", "The spot instance was reclaimed by ECI"));
      default -> Optional.empty();
    };
  }

  private static Optional<Instance.Event> warning(Instance instance) {
    return instance.events().stream().filter(e -> "Warning".equals(e.type())).findFirst();
  }

  private static List<PodCondition> conditions(
      Instance instance, PodPhase phase, boolean allReady, String since) {
    boolean scheduled =
        instance
            .status()
            .filter(s -> s != EciStatus.SCHEDULE_FAILED && s != EciStatus.SCHEDULING)
            .isPresent();
    boolean running = phase == PodPhase.RUNNING;
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            "PodScheduled",
            scheduled,
            scheduled ? null : "Instance" + instance.rawStatus(),
            since));
    conditions.add(condition("Initialized", scheduled, null, since));
    conditions.add(
        condition(
            "ContainersReady",
            running && allReady,
            running && allReady ? null : "ContainersNotReady",
            since));
    conditions.add(
        condition(
            "Ready",
            running && allReady,
            running && allReady ? null : "ContainersNotReady",
            since));
    return conditions;
  }

  private static PodCondition condition(String type, boolean status, String reason, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withLastTransitionTime(since)
        .build();
  }

  private static ContainerStatus container(Instance instance, Instance.ContainerStatus c) {
    boolean running = c.state().equals("Running");
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(c.name())
            .withImage(c.image())
            .withImageID(c.image())
            .withContainerID("eci://" + instance.id() + "/" + c.name())
            .withRestartCount(c.restartCount())
            .withReady(running)
            .withStarted(running)
            .withState(state(c));
    if (c.lastExitCode() != null) {
      status
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(c.lastExitCode())
          .withReason(c.lastExitCode() == 0 ? "Completed" : "Error")
          .endTerminated()
          .endLastState();
    }
    return status.build();
  }

  private static ContainerState state(Instance.ContainerStatus c) {
    return switch (c.state()) {
      case "Running" ->
          new ContainerStateBuilder()
              .withNewRunning()
              .withStartedAt(time(c.startedAt()))
              .endRunning()
              .build();
      case "Terminated" ->
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(c.exitCode() == null ? 0 : c.exitCode())
              .withReason(c.exitCode() == null || c.exitCode() == 0 ? "Completed" : "Error")
              .withStartedAt(time(c.startedAt()))
              .withFinishedAt(time(c.finishedAt()))
              .endTerminated()
              .build();
      default ->
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason(c.reason().isEmpty() ? "ContainerCreating" : c.reason())
              .endWaiting()
              .build();
    };
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
