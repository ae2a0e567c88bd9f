package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Pods as the API server treats them: defaults and a fresh {@code Pending} status on create, a spec
 * that updates may only change in the few mutable fields (so {@code spec.nodeName} can only be set
 * by a binding), and graceful deletion for pods that a kubelet owns.
 */
final class PodStrategy implements TypeStrategy {

  private static final List<String> CONTAINER_LISTS = List.of("containers", "initContainers");

  @Override
  public void prepareForCreate(ObjectNode pod, Instant now) {
    PodDefaults.apply(pod);
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Pending");
    status.put("qosClass", PodDefaults.qosClass(pod.path("spec")));
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode current) {
    PodDefaults.apply(updated);
    if (!mutableFieldsCleared(updated.path("spec"))
        .equals(mutableFieldsCleared(current.path("spec")))) {
      throw ApiException.invalid(
          ResourceTypes.PODS,
          Json.text(current, "metadata", "name"),
          "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
              + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only"
              + " additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be"
              + " set to 1 if it was previously negative)");
    }
  }

  /**
   * Like the real pod strategy: the requested period or the pod's {@code
   * terminationGracePeriodSeconds}, but 0 for a pod that no kubelet will stop — one not bound to a
   * node, or already Succeeded/Failed.
   */
  @Override
  public long gracePeriodSeconds(ObjectNode pod, Long requested) {
    long period =
        requested != null
            ? requested
            : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    String phase = Json.text(pod, "status", "phase");
    if (Json.text(pod, "spec", "nodeName").isEmpty()
        || phase.equals("Succeeded")
        || phase.equals("Failed")) {
      return 0;
    }
    return Math.max(0, period);
  }

  private static JsonNode mutableFieldsCleared(JsonNode spec) {
    ObjectNode copy = spec.isObject() ? ((ObjectNode) spec).deepCopy() : Json.object();
    copy.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
    for (String list : CONTAINER_LISTS) {
      for (JsonNode container : copy.path(list)) {
        ((ObjectNode) container).remove("image");
      }
    }
    return copy;
  }
}
