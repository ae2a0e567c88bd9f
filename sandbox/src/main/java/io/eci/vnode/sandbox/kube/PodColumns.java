package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The READY, STATUS and RESTARTS cells of a pod row, by the rules of kubectl's pod printer ({@code
 * printPod} in {@code pkg/printers/internalversion}): the phase, overridden by the status reason,
 * init-container progress ({@code Init:0/1}), a container's waiting or terminated reason ({@code
 * ContainerCreating}, {@code CrashLoopBackOff}, {@code Completed}), and {@code Terminating} once a
 * deletion is pending.
 */
final class PodColumns {

  private static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed");

  private PodColumns() {}

  static String ready(JsonNode pod) {
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("ready").asBoolean(false) && status.path("state").has("running")) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  static String restarts(JsonNode pod, Instant now) {
    long restarts = 0;
    Instant last = null;
    for (String list : new String[] {"initContainerStatuses", "containerStatuses"}) {
      for (JsonNode status : pod.path("status").path(list)) {
        restarts += status.path("restartCount").asLong(0);
        String finished = status.path("lastState").path("terminated").path("finishedAt").asText("");
        if (!finished.isEmpty()) {
          Instant at = Instant.parse(finished);
          last = last == null || at.isAfter(last) ? at : last;
        }
      }
    }
    if (restarts > 0 && last != null) {
      return restarts + " (" + Age.human(Duration.between(last, now)) + " ago)";
    }
    return Long.toString(restarts);
  }

  static String status(JsonNode pod) {
    JsonNode status = pod.path("status");
    String phase = status.path("phase").asText("");
    String reason =
        status.path("reason").asText("").isEmpty() ? phase : status.path("reason").asText();
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals("PodScheduled")
          && condition.path("reason").asText().equals("SchedulingGated")) {
        reason = "SchedulingGated";
      }
    }
    boolean initializing = false;
    JsonNode initStatuses = status.path("initContainerStatuses");
    int initCount = pod.path("spec").path("initContainers").size();
    for (int i = 0; i < initStatuses.size(); i++) {
      JsonNode state = initStatuses.get(i).path("state");
      JsonNode terminated = state.path("terminated");
      JsonNode waiting = state.path("waiting");
      if (!terminated.isMissingNode() && terminated.path("exitCode").asInt(0) == 0) {
        continue;
      }
      initializing = true;
      if (!terminated.isMissingNode()) {
        String why = terminated.path("reason").asText("");
        reason = !why.isEmpty() ? "Init:" + why : exitText("Init:", terminated);
      } else if (!waiting.path("reason").asText("").isEmpty()
          && !waiting.path("reason").asText().equals("PodInitializing")) {
        reason = "Init:" + waiting.path("reason").asText();
      } else {
        reason = "Init:" + i + "/" + initCount;
      }
      break;
    }
    if (!initializing || conditionTrue(status, "Initialized")) {
      reason = containerReason(status, reason);
    }
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      if (status.path("reason").asText("").equals("NodeLost")) {
        reason = "Unknown";
      } else if (!TERMINAL_PHASES.contains(phase)) {
        reason = "Terminating";
      }
    }
    return reason;
  }

  private static String containerReason(JsonNode status, String podReason) {
    String reason = podReason;
    boolean hasRunning = false;
    JsonNode statuses = status.path("containerStatuses");
    for (int i = statuses.size() - 1; i >= 0; i--) {
      JsonNode container = statuses.get(i);
      JsonNode state = container.path("state");
      String waiting = state.path("waiting").path("reason").asText("");
      JsonNode terminated = state.path("terminated");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isMissingNode() && !terminated.path("reason").asText("").isEmpty()) {
        reason = terminated.path("reason").asText();
      } else if (!terminated.isMissingNode()) {
        reason = exitText("", terminated);
      } else if (container.path("ready").asBoolean(false) && state.has("running")) {
        hasRunning = true;
      }
    }
    if (reason.equals("Completed") && hasRunning) {
      reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
    }
    return reason;
  }

  private static String exitText(String prefix, JsonNode terminated) {
    int signal = terminated.path("signal").asInt(0);
    return signal != 0
        ? prefix + "Signal:" + signal
        : prefix + "ExitCode:" + terminated.path("exitCode").asInt(0);
  }

  private static boolean conditionTrue(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return condition.path("status").asText().equals("True");
      }
    }
    return false;
  }
}
