package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.status.PodPhase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.Map;

/** Ends a pod that cannot run: phase Failed with a reason, and a Warning Event that says why. */
final class PodFailures {

  private final PodStore store;
  private final EventRecorder events;

  PodFailures(PodStore store, EventRecorder events) {
    this.store = store;
    this.events = events;
  }

  /** The pod fails with this reason and message, on the pod and in an Event. */
  void fail(Pod pod, String reason, String message) {
    events.warning(pod, reason, message);
    store.writeStatus(
        pod,
        Map.of(),
        new PodStatusBuilder(current(pod))
            .withPhase(PodPhase.FAILED.wire())
            .withReason(reason)
            .withMessage(message)
            .build());
  }

  /**
   * The pod shows that it no longer runs, as a kubelet shows a pod that a finalizer keeps after its
   * containers stopped (so a Job's controller can release it).
   */
  void showStopped(Pod pod) {
    store.writeStatus(
        pod,
        Map.of(),
        new PodStatusBuilder(current(pod)).withPhase(PodPhase.FAILED.wire()).build());
  }

  private static PodStatus current(Pod pod) {
    return pod.getStatus() == null ? new PodStatus() : pod.getStatus();
  }
}
