package io.eci.vnode.engine.pod;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The Kubernetes Events on pods that say what the engine did and why ({@link PodEvents} in
 * production). Recording never fails nor blocks the work it explains.
 */
public interface EventRecorder {

  /** Records a Normal Event on the pod. */
  void normal(Pod pod, String reason, String message);

  /** Records a Warning Event on the pod. */
  void warning(Pod pod, String reason, String message);
}
