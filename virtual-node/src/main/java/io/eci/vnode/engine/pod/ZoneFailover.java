package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod whose instance found no stock in its zone moves on to the next vSwitch's zone: the instance
 * is deleted, the vSwitch is recorded on the pod ({@link
 * PodController#EXCLUDED_VSWITCHES_ANNOTATION}) and the next create leaves it out. A pod with no
 * vSwitch left fails with reason NoStock.
 */
final class ZoneFailover {

  private final KnownPods known;
  private final PodStore store;
  private final ContainerInstances eci;
  private final EventRecorder events;
  private final PodFailures failures;

  ZoneFailover(
      KnownPods known,
      PodStore store,
      ContainerInstances eci,
      EventRecorder events,
      PodFailures failures) {
    this.known = known;
    this.store = store;
    this.eci = eci;
    this.events = events;
    this.failures = failures;
  }

  /** Whether the instance failed to schedule for lack of stock in its zone. */
  static boolean isStockOut(Instance instance) {
    return instance.status().filter(s -> s == EciStatus.SCHEDULE_FAILED).isPresent()
        && instance.events().stream().anyMatch(e -> "NoStock".equals(e.reason()));
  }

  /**
   * Deletes the instance that found no stock and clears the pod's instance, so the next sync
   * creates it again without the failed vSwitch.
   */
  void moveToNextZone(Pod pod, Instance failed) {
    Set<String> excluded = excludedVSwitches(pod);
    excluded.add(failed.vSwitchId());
    events.warning(
        pod,
        "NoStock",
        "Zone " + failed.zoneId() + " has no ECI stock; trying the next vSwitch's zone");
    eci.delete(failed.id());
    known.forgetInstance(PodFields.uid(pod));
    Map<String, String> annotations = new HashMap<>();
    annotations.put(PodController.INSTANCE_ANNOTATION, null);
    annotations.put(PodController.EXCLUDED_VSWITCHES_ANNOTATION, String.join(",", excluded));
    store.annotate(pod, annotations);
  }

  /**
   * The create request without the vSwitches whose zone already ran out of stock for this pod,
   * under a client token of its own (the pod's UID and the attempt); empty when no vSwitch is left,
   * and then the pod has failed.
   */
  Optional<CreateInstance> skipExcludedZones(Pod pod, CreateInstance create) {
    Set<String> excluded = excludedVSwitches(pod);
    if (excluded.isEmpty()) {
      return Optional.of(create);
    }
    List<String> remaining =
        Arrays.stream(create.request().getVSwitchId().split(","))
            .filter(v -> !excluded.contains(v))
            .toList();
    if (remaining.isEmpty()) {
      failures.fail(
          pod, "NoStock", "No zone of vSwitches " + excluded + " has ECI stock for this pod");
      return Optional.empty();
    }
    create.request().setVSwitchId(String.join(",", remaining));
    return Optional.of(
        new CreateInstance(create.request(), create.clientToken() + "-" + excluded.size()));
  }

  private static Set<String> excludedVSwitches(Pod pod) {
    String value = PodFields.annotation(pod, PodController.EXCLUDED_VSWITCHES_ANNOTATION);
    Set<String> excluded = new LinkedHashSet<>();
    if (value != null) {
      Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(excluded::add);
    }
    return excluded;
  }
}
