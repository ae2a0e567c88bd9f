package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The {@code pods/binding} subresource (and the older {@code bindings} collection), which is how a
 * scheduler — or the product's binder — places a pod: it sets {@code spec.nodeName} and the {@code
 * PodScheduled=True} condition. Like the real one it refuses a pod that is already bound or being
 * deleted ({@code 409}) and a missing pod ({@code 404}).
 */
final class PodBinding {

  private final Registry registry;

  PodBinding(Registry registry) {
    this.registry = registry;
  }

  /**
   * Binds a pod to the node a {@code Binding} names.
   *
   * @param podName the pod from the URL; for the {@code bindings} collection, null (the binding's
   *     own name is used)
   */
  ObjectNode bind(String namespace, String podName, ObjectNode binding, boolean dryRun) {
    String name = podName != null ? podName : Json.text(binding, "metadata", "name");
    String node = Json.text(binding, "target", "name");
    String targetKind = Json.text(binding, "target", "kind");
    if (node.isEmpty()) {
      throw ApiException.invalid(ResourceTypes.BINDINGS, name, "target.name: Required value");
    }
    if (!targetKind.isEmpty() && !targetKind.equals("Node")) {
      throw ApiException.invalid(
          ResourceTypes.BINDINGS, name, "target.kind: Unsupported value: \"" + targetKind + "\"");
    }
    ObjectStore store = registry.store();
    return store.locked(
        () -> {
          ObjectNode pod = registry.get(ResourceTypes.PODS, namespace, name);
          String uid = Json.text(binding, "metadata", "uid");
          if (!uid.isEmpty() && !uid.equals(Json.text(pod, "metadata", "uid"))) {
            throw ApiException.conflict(
                ResourceTypes.PODS, name, "Precondition failed: UID mismatch");
          }
          if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            throw ApiException.conflict(
                ResourceTypes.PODS,
                name,
                "pod " + name + " is being deleted, cannot be assigned to a host");
          }
          String bound = Json.text(pod, "spec", "nodeName");
          if (!bound.isEmpty()) {
            throw ApiException.conflict(
                ResourceTypes.PODS,
                name,
                "pod " + name + " is already assigned to node \"" + bound + "\"");
          }
          ObjectNode next = pod.deepCopy();
          Json.child(next, "spec").put("nodeName", node);
          binding
              .path("metadata")
              .path("annotations")
              .fields()
              .forEachRemaining(
                  a ->
                      Json.child(Json.metadata(next), "annotations").set(a.getKey(), a.getValue()));
          markScheduled(Json.child(next, "status"));
          if (!dryRun) {
            store.replace(ResourceTypes.PODS, pod, next);
          }
          return Status.success(201);
        });
  }

  private void markScheduled(ObjectNode status) {
    ArrayNode conditions =
        status.get("conditions") instanceof ArrayNode list ? list : status.putArray("conditions");
    for (JsonNode condition : conditions) {
      if (condition.path("type").asText().equals("PodScheduled")) {
        if (!condition.path("status").asText().equals("True")) {
          ((ObjectNode) condition).put("status", "True");
          ((ObjectNode) condition).put("lastTransitionTime", Json.timestamp(registry.now()));
          ((ObjectNode) condition).remove(List.of("reason", "message"));
        }
        return;
      }
    }
    ObjectNode scheduled = conditions.addObject();
    scheduled.put("type", "PodScheduled");
    scheduled.put("status", "True");
    scheduled.putNull("lastProbeTime");
    scheduled.put("lastTransitionTime", Json.timestamp(registry.now()));
  }
}
