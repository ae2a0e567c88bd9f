package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.status.StatusMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a pod lacks of its instance's state: the write that would make it show all of it. */
final class StatusDiff {

  private StatusDiff() {}

  /**
   * The annotations the pod lacks: the instance it runs as and the zone it landed in, recorded
   * together in one write once ECI has placed it.
   */
  static Map<String, String> annotations(Pod pod, Instance instance) {
    Map<String, String> missing = new HashMap<>();
    if (!instance.id().equals(PodFields.annotation(pod, PodController.INSTANCE_ANNOTATION))) {
      missing.put(PodController.INSTANCE_ANNOTATION, instance.id());
    }
    if (!instance.zoneId().isEmpty()
        && !instance.zoneId().equals(PodFields.annotation(pod, PodController.ZONE_ANNOTATION))) {
      missing.put(PodController.ZONE_ANNOTATION, instance.zoneId());
    }
    return missing;
  }

  /** The status to write, keeping the pod's QoS class; empty when the pod already shows it. */
  static Optional<PodStatus> status(Pod pod, Instance instance) {
    PodStatus wanted = StatusMapper.podStatus(instance);
    if (Objects.equals(fingerprint(pod.getStatus()), fingerprint(wanted))) {
      return Optional.empty();
    }
    return Optional.of(
        new PodStatusBuilder(wanted)
            .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
            .build());
  }

  /** Whether the pod already shows all of the instance's state. */
  static boolean shows(Pod pod, Instance instance) {
    return annotations(pod, instance).isEmpty() && status(pod, instance).isEmpty();
  }

  /** What of a status is worth a write: phase, address, reason, and each container's state. */
  private static String fingerprint(PodStatus s) {
    if (s == null) {
      return "";
    }
    StringBuilder f =
        new StringBuilder()
            .append(s.getPhase())
            .append('|')
            .append(s.getPodIP())
            .append('|')
            .append(s.getReason());
    s.getContainerStatuses()
        .forEach(
            c ->
                f.append('|')
                    .append(c.getName())
                    .append(':')
                    .append(c.getReady())
                    .append(':')
                    .append(c.getRestartCount())
                    .append(':')
                    .append(c.getState()));
    return f.toString();
  }
}
