package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.status.PodPhase;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Arrays;

/** What the pod classes read off a pod, spelt once. */
final class PodFields {

  private PodFields() {}

  /** The pod's key in the informer's cache and the queues: namespace/name. */
  static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  /** The annotation's value, or null. */
  static String annotation(Pod pod, String key) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /** The pod's phase; one that has none yet is Pending. */
  static PodPhase phase(Pod pod) {
    String wire = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (wire == null) {
      return PodPhase.PENDING;
    }
    return Arrays.stream(PodPhase.values())
        .filter(p -> p.wire().equals(wire))
        .findFirst()
        .orElse(PodPhase.UNKNOWN);
  }

  /** Whether the pod has ended (Succeeded or Failed) and will never run again. */
  static boolean isFinal(Pod pod) {
    PodPhase phase = phase(pod);
    return phase == PodPhase.SUCCEEDED || phase == PodPhase.FAILED;
  }

  /** Whether the pod is being deleted (the API server keeps a bound pod Terminating). */
  static boolean isDeleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }
}
