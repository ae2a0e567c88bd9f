package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.ContainerState;
import io.eci.vnode.sandbox.eci.Lifecycle.GroupState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a container group in the shape DescribeContainerGroups answers with: bare JSON arrays,
 * integers without decimals, times as RFC 3339 UTC seconds. Field names are the ones the SDK's
 * unmarshaller reads.
 */
final class GroupJson {

  private GroupJson() {}

  static Map<String, Object> group(ContainerGroup g, GroupState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ContainerGroupId", g.id);
    m.put("ContainerGroupName", g.name);
    m.put("RegionId", g.regionId);
    m.put("ZoneId", g.zoneId);
    m.put("Cpu", g.cpu);
    m.put("Memory", g.memory);
    m.put("VSwitchId", g.vSwitchId);
    m.put("SecurityGroupId", g.securityGroupId);
    m.put("RestartPolicy", g.restartPolicy);
    m.put("IntranetIp", g.intranetIp == null ? "" : g.intranetIp);
    m.put("Status", s.status());
    m.put("InternetIp", "");
    m.put("CreationTime", time(g.createdAt));
    if (s.status().equals("Succeeded")) {
      m.put("SucceededTime", time(s.finishedAt()));
    }
    if (s.status().equals("Failed") || s.status().equals("ScheduleFailed")) {
      m.put("FailedTime", time(s.finishedAt()));
    }
    m.put("EniInstanceId", g.intranetIp == null ? "" : "eni-" + g.id.substring(4));
    m.put("InstanceType", "");
    m.put(
        "Tags",
        g.tags.entrySet().stream()
            .map(t -> Map.of("Key", t.getKey(), "Value", t.getValue()))
            .toList());
    m.put("Events", s.events().stream().map(GroupJson::event).toList());
    m.put("Containers", s.containers().stream().map(GroupJson::container).toList());
    m.put("InitContainers", s.initContainers().stream().map(GroupJson::container).toList());
    m.put("Volumes", List.of());
    return m;
  }

  private static Map<String, Object> event(Lifecycle.Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Count", 1);
    m.put("Type", e.type());
    m.put("Name", e.reason());
    m.put("Reason", e.reason());
    m.put("Message", e.message());
    m.put("FirstTimestamp", time(e.at()));
    m.put("LastTimestamp", time(e.at()));
    return m;
  }

  static Map<String, Object> container(ContainerState c) {
    ContainerSpec spec = c.spec();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", spec.name());
    m.put("Image", spec.image());
    m.put("Cpu", spec.cpu() == null ? 0f : spec.cpu());
    m.put("Memory", spec.memory() == null ? 0f : spec.memory());
    m.put("RestartCount", c.restartCount());
    m.put("Ready", c.ready());
    m.put("WorkingDir", spec.workingDir() == null ? "" : spec.workingDir());
    m.put("ImagePullPolicy", spec.imagePullPolicy() == null ? "" : spec.imagePullPolicy());
    m.put("Commands", spec.commands());
    m.put("Command", spec.commands());
    m.put("Args", spec.args());
    m.put(
        "CurrentState",
        state(c.state(), c.detailStatus(), c.exitCode(), c.startTime(), c.finishTime()));
    m.put(
        "PreviousState",
        c.previous() == null
            ? Map.of("State", "", "DetailStatus", "")
            : state(
                "Terminated",
                c.previous().exitCode() == 0 ? "Completed" : "Error",
                c.previous().exitCode(),
                c.previous().startTime(),
                c.previous().finishTime()));
    m.put(
        "Ports",
        spec.ports().stream()
            .map(p -> Map.of("Port", p.port(), "Protocol", p.protocol()))
            .toList());
    m.put("EnvironmentVars", spec.env().stream().map(GroupJson::env).toList());
    m.put(
        "VolumeMounts",
        spec.mounts().stream()
            .map(
                v -> Map.of("Name", v.name(), "MountPath", v.mountPath(), "ReadOnly", v.readOnly()))
            .toList());
    return m;
  }

  private static Map<String, Object> env(ContainerSpec.Env e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Key", e.key());
    m.put("Value", e.value() == null ? "" : e.value());
    if (e.fieldPath() != null) {
      m.put("ValueFrom", Map.of("FieldRef", Map.of("FieldPath", e.fieldPath())));
    }
    return m;
  }

  private static Map<String, Object> state(
      String state, String detail, Integer exitCode, Instant start, Instant finish) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("State", state);
    m.put("DetailStatus", detail);
    if (exitCode != null) {
      m.put("ExitCode", exitCode);
      m.put("Reason", exitCode == 0 ? "Completed" : "Error");
    } else if (state.equals("Waiting")) {
      m.put("Reason", detail);
    }
    if (start != null) {
      m.put("StartTime", time(start));
    }
    if (finish != null) {
      m.put("FinishTime", time(finish));
    }
    return m;
  }

  /** RFC 3339 in UTC with second precision, as ECI writes times. */
  static String time(Instant at) {
    return at == null ? "" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Kubernetes-style status of a group, for DescribeContainerGroupStatus. */
  static Map<String, Object> podStatus(ContainerGroup g, GroupState s) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("containerGroupId", g.id);
    data.put("name", g.tags.getOrDefault("k8s.aliyun.com/pod-name", g.name));
    data.put("namespace", g.tags.getOrDefault("k8s.aliyun.com/pod-namespace", ""));
    data.put("uuid", g.tags.getOrDefault("k8s.aliyun.com/pod-uid", ""));
    data.put("status", s.status());
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("phase", phase(s.status()));
    pod.put("podIP", g.intranetIp == null ? "" : g.intranetIp);
    pod.put("hostIP", g.intranetIp == null ? "" : g.intranetIp);
    List<Map<String, Object>> statuses = new ArrayList<>();
    for (ContainerState c : s.containers()) {
      Map<String, Object> cs = new LinkedHashMap<>();
      cs.put("name", c.spec().name());
      cs.put("image", c.spec().image());
      cs.put("ready", c.ready());
      cs.put("started", c.state().equals("Running"));
      cs.put("restartCount", c.restartCount());
      cs.put("state", k8sState(c));
      statuses.add(cs);
    }
    pod.put("containerStatuses", statuses);
    data.put("podStatus", pod);
    return data;
  }

  private static Map<String, Object> k8sState(ContainerState c) {
    return switch (c.state()) {
      case "Running" -> Map.of("running", Map.of("startedAt", time(c.startTime())));
      case "Terminated" ->
          Map.of(
              "terminated",
              Map.of(
                  "exitCode", c.exitCode(),
                  "reason", c.exitCode() == 0 ? "Completed" : "Error",
                  "startedAt", time(c.startTime()),
                  "finishedAt", time(c.finishTime())));
      default -> Map.of("waiting", Map.of("reason", c.detailStatus()));
    };
  }

  private static String phase(String eciStatus) {
    return switch (eciStatus) {
      case "Running", "Terminating" -> "Running";
      case "Succeeded" -> "Succeeded";
      case "Failed", "Expired", "ScheduleFailed" -> "Failed";
      default -> "Pending";
    };
  }
}
