package io.eci.vnode.sandbox.eci;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives an instance's state at a moment from the moments that shape it. Scheduling lasts the
 * scheduling delay, Pending the pending delay, then containers run; a container with an exit plan
 * terminates and, under restart policy Always (or OnFailure with a non-zero code), restarts after a
 * back-off. A restart or update request shows Restarting/Updating for the pending delay. A deleted
 * instance is Terminating for the terminating delay and then gone.
 */
final class Lifecycle {

  /**
   * @param scheduling how long an instance is Scheduling
   * @param pending how long it is Pending (images pulled, containers created)
   * @param terminating how long a deleted instance is Terminating before it is gone
   * @param restartBackoff how long a crashed container waits before it starts again
   */
  record Timing(
      Duration scheduling, Duration pending, Duration terminating, Duration restartBackoff) {
    /** No waiting anywhere: every instance is Running at once (benchmarks). */
    static Timing instant() {
      return new Timing(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10));
    }
  }

  /** One container's state, in ECI's terms. */
  record ContainerState(
      ContainerSpec spec,
      String state,
      String detailStatus,
      Integer exitCode,
      Instant startTime,
      Instant finishTime,
      int restartCount,
      boolean ready,
      Terminated previous) {}

  /** A container's previous termination. */
  record Terminated(int exitCode, Instant startTime, Instant finishTime) {}

  /** An event on the instance. */
  record Event(String type, String reason, String message, Instant at) {}

  /**
   * The whole instance at a moment; {@code gone} once a deleted instance has finished terminating.
   */
  record GroupState(
      String status,
      boolean gone,
      List<ContainerState> containers,
      List<ContainerState> initContainers,
      List<Event> events,
      Instant finishedAt) {}

  private final Timing timing;

  Lifecycle(Timing timing) {
    this.timing = timing;
  }

  GroupState at(ContainerGroup g, Instant now) {
    Instant scheduled = g.createdAt.plus(timing.scheduling);
    if (g.deletedAt() != null && !now.isBefore(g.deletedAt().plus(timing.terminating))) {
      return new GroupState("Terminating", true, List.of(), List.of(), List.of(), g.deletedAt());
    }
    if (now.isBefore(scheduled)) {
      return waiting(g, g.deletedAt() != null ? "Terminating" : "Scheduling", "Scheduling");
    }
    if (g.scheduleFailure != null) {
      var event =
          new Event(
              "Warning",
              g.scheduleFailure,
              "Create ECI failed because the specified instance is out of stock. zone: " + g.zoneId,
              scheduled);
      GroupState failed = waiting(g, "ScheduleFailed", g.scheduleFailure);
      return new GroupState(
          failed.status(), false, failed.containers(), List.of(), List.of(event), scheduled);
    }
    Instant started = scheduled.plus(timing.pending);
    Instant requested = g.lastStartRequest();
    if (requested != null && requested.plus(timing.pending).isAfter(started)) {
      started = requested.plus(timing.pending);
    }
    if (now.isBefore(started)) {
      String status =
          requested == null
              ? "Pending"
              : requested.equals(g.lastUpdate()) ? "Updating" : "Restarting";
      return waiting(g, g.deletedAt() != null ? "Terminating" : status, "ContainerCreating");
    }
    return running(g, started, now);
  }

  private GroupState running(ContainerGroup g, Instant started, Instant now) {
    List<ContainerState> init = new ArrayList<>();
    for (ContainerSpec spec : g.initContainers()) {
      int code = spec.exit() == null ? 0 : spec.exit().code();
      init.add(
          new ContainerState(
              spec, "Terminated", "Completed", code, started, started, 0, false, null));
      if (code != 0) {
        return finished(g, "Failed", List.of(), init, started);
      }
    }
    List<ContainerState> containers = new ArrayList<>();
    boolean anyAlive = false;
    boolean anyFailed = false;
    Instant lastFinish = started;
    for (ContainerSpec spec : g.containers()) {
      ContainerState state = container(spec, g, started, now);
      containers.add(state);
      if (state.state().equals("Terminated")) {
        anyFailed |= state.exitCode() != 0;
        lastFinish = state.finishTime().isAfter(lastFinish) ? state.finishTime() : lastFinish;
      } else {
        anyAlive = true;
      }
    }
    if (g.deletedAt() != null) {
      return new GroupState("Terminating", false, containers, init, List.of(), null);
    }
    if (anyAlive) {
      return new GroupState("Running", false, containers, init, List.of(), null);
    }
    return finished(g, anyFailed ? "Failed" : "Succeeded", containers, init, lastFinish);
  }

  private ContainerState container(
      ContainerSpec spec, ContainerGroup g, Instant started, Instant now) {
    int base = g.restartRequests();
    if (spec.exit() == null) {
      return new ContainerState(spec, "Running", "Running", null, started, null, base, true, null);
    }
    int code = spec.exit().code();
    Duration run = Duration.ofSeconds(spec.exit().afterSeconds());
    boolean restarts =
        g.restartPolicy.equals("Always") || (g.restartPolicy.equals("OnFailure") && code != 0);
    Instant firstEnd = started.plus(run);
    if (now.isBefore(firstEnd)) {
      return new ContainerState(spec, "Running", "Running", null, started, null, base, true, null);
    }
    if (!restarts) {
      return new ContainerState(
          spec,
          "Terminated",
          code == 0 ? "Completed" : "Error",
          code,
          started,
          firstEnd,
          base,
          false,
          null);
    }
    long cycle = run.plus(timing.restartBackoff).toMillis();
    long elapsed = Duration.between(started, now).toMillis();
    long completed = elapsed / cycle;
    long within = elapsed % cycle;
    Instant cycleStart = started.plusMillis(completed * cycle);
    if (within < run.toMillis()) {
      Instant lastEnd = cycleStart.minus(timing.restartBackoff);
      Terminated previous = new Terminated(code, lastEnd.minus(run), lastEnd);
      return new ContainerState(
          spec,
          "Running",
          "Running",
          null,
          cycleStart,
          null,
          base + (int) completed,
          true,
          previous);
    }
    Instant end = cycleStart.plus(run);
    return new ContainerState(
        spec,
        "Waiting",
        "CrashLoopBackOff",
        null,
        null,
        null,
        base + (int) completed,
        false,
        new Terminated(code, cycleStart, end));
  }

  private static GroupState finished(
      ContainerGroup g,
      String status,
      List<ContainerState> containers,
      List<ContainerState> init,
      Instant at) {
    if (g.deletedAt() != null) {
      return new GroupState("Terminating", false, containers, init, List.of(), at);
    }
    return new GroupState(status, false, containers, init, List.of(), at);
  }

  private static GroupState waiting(ContainerGroup g, String status, String reason) {
    List<ContainerState> containers = new ArrayList<>();
    for (ContainerSpec spec : g.containers()) {
      containers.add(
          new ContainerState(
              spec, "Waiting", reason, null, null, null, g.restartRequests(), false, null));
    }
    return new GroupState(status, false, containers, List.of(), List.of(), null);
  }
}
