package io.eci.vnode.engine.pod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * The engine's writes to pods, as JSON merge patches without a resourceVersion. The engine owns the
 * fields it writes (its annotations, the pod's status), so a concurrent change to anything else
 * must not make the write fail with a conflict, as an edit based on an older read would.
 */
final class PodWrites {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  PodWrites(KubernetesClient client) {
    this.client = client;
  }

  /** Sets annotations; a null value removes the annotation. */
  void annotate(Pod pod, Map<String, String> annotations) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode values = patch.putObject("metadata").putObject("annotations");
    annotations.forEach(values::put);
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  /** Replaces the pod's status through the status subresource. */
  void status(Pod pod, PodStatus status) {
    status(pod, Map.of(), status);
  }

  /**
   * Sets annotations and replaces the status (when not null) in one write to the status
   * subresource: for pods (and only pods) the API server keeps annotation changes made there, so
   * what the engine learnt about a pod lands with its status instead of one write later.
   */
  void status(Pod pod, Map<String, String> annotations, PodStatus status) {
    ObjectNode patch = JSON.createObjectNode();
    if (!annotations.isEmpty()) {
      ObjectNode values = patch.putObject("metadata").putObject("annotations");
      annotations.forEach(values::put);
    }
    if (status != null) {
      patch.set("status", JSON.valueToTree(status));
    }
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }
}
