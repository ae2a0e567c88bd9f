package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What an update makes of a stored object, after the API server's generic registry and status
 * strategies: a main update keeps the system metadata and {@code .status} and bumps {@code
 * generation} when the spec changed; a status update changes only {@code .status} and the metadata
 * a status write may carry.
 */
final class UpdateRules {

  /** What the server sets and keeps of an object's metadata, whatever a client sends. */
  static final List<String> SYSTEM_METADATA =
      List.of(
          "uid",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "generation",
          "resourceVersion");

  private UpdateRules() {}

  /**
   * The next state of {@code current} after a write of {@code proposed} to the object ({@code
   * subresource} null) or its {@code status}, before the resourceVersion is set.
   *
   * @throws ApiException 404 for a subresource other than {@code status}, 400 for an undecodable
   *     document, or what the type's strategy rejects
   */
  static ObjectNode next(
      ResourceType type, ObjectNode current, ObjectNode proposed, String subresource) {
    if ("status".equals(subresource)) {
      ObjectChecks.requireDecodable(type, proposed);
      ObjectNode next = current.deepCopy();
      JsonNode status = proposed.get("status");
      if (status == null || status.isNull()) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      keepStatusWriteMetadata(type, next, proposed);
      return next;
    }
    if (subresource == null) {
      return mainUpdate(type, current, proposed);
    }
    throw ApiException.notFound(
        "the server could not find the requested resource ("
            + type.plural()
            + "/"
            + subresource
            + ")");
  }

  /**
   * What a status write changes of the metadata, as the API server's status strategies decide: its
   * labels, annotations, finalizers and owner references are taken from the write (a node agent
   * records what it learnt about a pod with its status, in one write); only the spec stays.
   * Exceptions: a pod keeps its owner references, and the apps types (Deployments, ReplicaSets,
   * StatefulSets, DaemonSets) keep their labels.
   */
  private static void keepStatusWriteMetadata(
      ResourceType type, ObjectNode next, ObjectNode proposed) {
    ObjectNode metadata = Json.metadata(next);
    JsonNode proposedMetadata = proposed.path("metadata");
    for (String field : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
      boolean kept =
          (field.equals("ownerReferences") && type.equals(ResourceTypes.PODS))
              || (field.equals("labels") && type.group().equals("apps"));
      if (kept) {
        continue;
      }
      JsonNode value = proposedMetadata.get(field);
      if (value == null || value.isNull()) {
        metadata.remove(field);
      } else {
        metadata.set(field, value.deepCopy());
      }
    }
  }

  /**
   * Whether the type's strategy keeps {@code metadata.generation}: the workload and policy types
   * do; core types (pods, nodes, namespaces, config), Leases and RBAC objects have none.
   */
  static boolean tracksGeneration(ResourceType type) {
    return !List.of("", "coordination.k8s.io", "rbac.authorization.k8s.io", "events.k8s.io")
        .contains(type.group());
  }

  private static ObjectNode mainUpdate(ResourceType type, ObjectNode current, ObjectNode proposed) {
    ObjectNode next = proposed.deepCopy();
    next.put("kind", type.kind());
    next.put("apiVersion", type.groupVersion());
    ObjectChecks.requireDecodable(type, next);
    ObjectNode metadata = Json.metadata(next);
    ObjectNode currentMetadata = (ObjectNode) current.get("metadata");
    for (String field : SYSTEM_METADATA) {
      JsonNode value = currentMetadata.get(field);
      if (value == null) {
        metadata.remove(field);
      } else {
        metadata.set(field, value.deepCopy());
      }
    }
    metadata.set("name", currentMetadata.get("name").deepCopy());
    if (currentMetadata.has("namespace")) {
      metadata.set("namespace", currentMetadata.get("namespace").deepCopy());
    } else {
      metadata.remove("namespace");
    }
    if (type.hasStatus()) {
      if (current.has("status")) {
        next.set("status", current.get("status").deepCopy());
      } else {
        next.remove("status");
      }
    }
    TypeStrategy.of(type).prepareForUpdate(next, current);
    if (tracksGeneration(type)
        && !withoutMetadataAndStatus(next).equals(withoutMetadataAndStatus(current))) {
      metadata.put("generation", currentMetadata.path("generation").asLong(0) + 1);
    }
    return Json.canonical(next);
  }

  private static JsonNode withoutMetadataAndStatus(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove(List.of("metadata", "status"));
    return copy;
  }
}
