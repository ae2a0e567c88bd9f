package io.eci.vnode.engine.pod;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on pods, so {@code kubectl describe pod} says what the virtual node did and
 * why.
 */
final class PodEvents {

  private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final java.util.concurrent.Executor executor;

  /**
   * @param executor where events are written, off the path of the work they explain
   */
  PodEvents(KubernetesClient client, String nodeName, java.util.concurrent.Executor executor) {
    this.client = client;
    this.nodeName = nodeName;
    this.executor = executor;
  }

  void normal(Pod pod, String reason, String message) {
    record(pod, "Normal", reason, message);
  }

  void warning(Pod pod, String reason, String message) {
    record(pod, "Warning", reason, message);
  }

  private void record(Pod pod, String type, String reason, String message) {
    try {
      executor.execute(() -> write(pod, type, reason, message));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug(
          "engine stopped; event {} on pod {} not recorded", reason, pod.getMetadata().getName());
    }
  }

  private void write(Pod pod, String type, String reason, String message) {
    String now = Instant.now().toString();
    var meta = pod.getMetadata();
    try {
      client
          .v1()
          .events()
          .inNamespace(meta.getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(meta.getName() + ".")
                  .withNamespace(meta.getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withNamespace(meta.getNamespace())
                  .withName(meta.getName())
                  .withUid(meta.getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("eci-virtual-node")
                  .withHost(nodeName)
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      // An event is an explanation, not state: losing one must not fail the work it explains.
      LOG.warn(
          "could not record event {} on pod {}/{}: {}",
          reason,
          meta.getNamespace(),
          meta.getName(),
          e.toString());
    }
  }
}
