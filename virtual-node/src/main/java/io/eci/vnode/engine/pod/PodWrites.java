package io.eci.vnode.engine.pod;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine's writes to pods, as JSON merge patches without a resourceVersion. The engine owns the
 * fields it writes (its annotations, the pod's status), so a concurrent change to anything else
 * must not make the write fail with a conflict, as an edit based on an older read would.
 */
final class PodWrites {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Consumer<KubernetesClientException> forbidden;

  /**
   * @param forbidden told of every write the API server refuses for lack of permission
   */
  PodWrites(KubernetesClient client, Consumer<KubernetesClientException> forbidden) {
    this.client = client;
    this.forbidden = forbidden;
  }

  /** Sets annotations; a null value removes the annotation. */
  void annotate(Pod pod, Map<String, String> annotations) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode values = patch.putObject("metadata").putObject("annotations");
    annotations.forEach(values::put);
    send(() -> target(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
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
    send(
        () ->
            target(pod)
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString()));
  }

  private void send(Runnable write) {
    try {
      write.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        forbidden.accept(e);
      }
      throw e;
    }
  }

  /**
   * The pod by name and namespace alone: fabric8 reads an object before patching it by name (a GET
   * per write), not when it is given the object.
   */
  private PodResource target(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    return client
        .pods()
        .inNamespace(namespace)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(pod.getMetadata().getName())
                .withNamespace(namespace)
                .endMetadata()
                .build());
  }
}
