package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The REST semantics of stored objects, after the API server's generic registry: system metadata
 * and defaults on create, optimistic concurrency on update and patch ({@code 409 Conflict} for a
 * stale resourceVersion), the status subresource split (a main update keeps {@code .status}, a
 * status update changes only {@code .status}), no-op updates that keep the resourceVersion, and
 * removal once a terminating object's finalizers are gone.
 */
final class Registry {

  private static final List<String> SYSTEM_METADATA =
      List.of(
          "uid",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "generation",
          "resourceVersion");

  private final ObjectStore store;
  private final Clock clock;

  Registry(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  ObjectStore store() {
    return store;
  }

  Instant now() {
    return clock.instant();
  }

  ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  /** The matching objects as a {@code <Kind>List} at the current resourceVersion. */
  ObjectNode list(ObjectFilter filter) {
    return store.locked(
        () -> {
          ObjectNode list = Json.object();
          list.put("kind", filter.type().listKind());
          list.put("apiVersion", filter.type().groupVersion());
          list.putObject("metadata").put("resourceVersion", Long.toString(store.resourceVersion()));
          ArrayNode items = list.putArray("items");
          matching(filter).forEach(items::add);
          return list;
        });
  }

  List<ObjectNode> matching(ObjectFilter filter) {
    return store.list(filter.type(), filter.namespace()).stream().filter(filter::matches).toList();
  }

  /** Creates an object from a client's document; returns the stored object. */
  ObjectNode create(ResourceType type, String namespace, ObjectNode body, boolean dryRun) {
    ObjectNode object = body.deepCopy();
    checkKind(type, object);
    requireDecodable(type, object);
    ObjectNode metadata = Json.metadata(object);
    String bodyNamespace = metadata.path("namespace").asText("");
    if (type.namespaced()) {
      if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    return store.locked(
        () -> {
          String name = nameFor(type, metadata);
          if (type.namespaced()) {
            requireActiveNamespace(type, name, namespace);
          }
          if (store.get(type, namespace, name).isPresent()) {
            throw ApiException.alreadyExists(type, name);
          }
          Instant now = clock.instant();
          SYSTEM_METADATA.forEach(metadata::remove);
          metadata.remove(List.of("selfLink", "managedFields"));
          metadata.put("uid", UUID.randomUUID().toString());
          metadata.put("creationTimestamp", Json.timestamp(now));
          if (tracksGeneration(type)) {
            metadata.put("generation", 1);
          }
          TypeStrategy.of(type).prepareForCreate(object, now);
          if (dryRun) {
            return Json.canonical(object);
          }
          ObjectNode stored = store.create(type, Json.canonical(object));
          if (type.equals(ResourceTypes.NAMESPACES)) {
            createDefaultServiceAccount(name, now);
          }
          return stored;
        });
  }

  /** A PUT of the object or its {@code status}: replaces it unless the resourceVersion is stale. */
  ObjectNode update(ResourcePath path, ObjectNode body, boolean dryRun) {
    ObjectNode metadata = Json.metadata(body);
    String bodyName = metadata.path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(path.name())) {
      throw ApiException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + path.name()
              + ")");
    }
    String bodyNamespace = metadata.path("namespace").asText("");
    if (path.namespace() != null
        && !bodyNamespace.isEmpty()
        && !bodyNamespace.equals(path.namespace())) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    checkKind(path.type(), body);
    return store.locked(
        () -> {
          ObjectNode current = get(path.type(), path.namespace(), path.name());
          requireFreshVersion(path.type(), current, body);
          return commit(path.type(), current, body, path.subresource(), dryRun);
        });
  }

  /** The result of a PATCH: apply creates the object when it does not exist yet. */
  record Patched(ObjectNode object, boolean created) {}

  Patched patch(
      ResourcePath path, PatchType patchType, String body, String fieldManager, boolean dryRun) {
    if (patchType == PatchType.APPLY && (fieldManager == null || fieldManager.isBlank())) {
      throw ApiException.invalid(
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply"
              + " patch");
    }
    return store.locked(
        () -> {
          var existing = store.get(path.type(), path.namespace(), path.name());
          if (existing.isEmpty()) {
            if (patchType == PatchType.APPLY && path.subresource() == null) {
              ObjectNode applied = patchType.appliedObject(body);
              Json.metadata(applied).put("name", path.name());
              return new Patched(create(path.type(), path.namespace(), applied, dryRun), true);
            }
            throw ApiException.notFound(path.type(), path.name());
          }
          ObjectNode current = existing.get();
          ObjectNode patched;
          try {
            patched = patchType.apply(current, body);
          } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                path.type(), path.name(), "the patch could not be applied: " + e.getMessage());
          }
          ObjectNode metadata = Json.metadata(patched);
          metadata.put("name", path.name());
          if (path.namespace() != null) {
            metadata.put("namespace", path.namespace());
          }
          requireFreshVersion(path.type(), current, patched);
          return new Patched(
              commit(path.type(), current, patched, path.subresource(), dryRun), false);
        });
  }

  /**
   * Stores {@code proposed} as the next state of {@code current}, applying the status-subresource
   * split. Must be called with the store lock held.
   */
  ObjectNode commit(
      ResourceType type,
      ObjectNode current,
      ObjectNode proposed,
      String subresource,
      boolean dryRun) {
    ObjectNode next;
    if ("status".equals(subresource)) {
      requireDecodable(type, proposed);
      next = current.deepCopy();
      JsonNode status = proposed.get("status");
      if (status == null || status.isNull()) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
      keepStatusWriteMetadata(type, next, proposed);
    } else if (subresource == null) {
      next = mainUpdate(type, current, proposed);
    } else {
      throw ApiException.notFound(
          "the server could not find the requested resource ("
              + type.plural()
              + "/"
              + subresource
              + ")");
    }
    Json.metadata(next).put("resourceVersion", Json.text(current, "metadata", "resourceVersion"));
    if (next.equals(current)) {
      return current; // a no-op update is not a write: same resourceVersion, no watch event
    }
    if (dryRun) {
      return next;
    }
    if (finalizedAfterDeletion(next)) {
      return store.remove(type, current);
    }
    return store.replace(type, current, next);
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
  private static boolean tracksGeneration(ResourceType type) {
    return !List.of("", "coordination.k8s.io", "rbac.authorization.k8s.io", "events.k8s.io")
        .contains(type.group());
  }

  private ObjectNode mainUpdate(ResourceType type, ObjectNode current, ObjectNode proposed) {
    ObjectNode next = proposed.deepCopy();
    next.put("kind", type.kind());
    next.put("apiVersion", type.groupVersion());
    requireDecodable(type, next);
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

  /**
   * Whether an update left a terminating object with no finalizers and no grace period: it goes
   * away.
   */
  private static boolean finalizedAfterDeletion(ObjectNode next) {
    JsonNode metadata = next.path("metadata");
    return metadata.hasNonNull("deletionTimestamp")
        && metadata.path("finalizers").isEmpty()
        && metadata.path("deletionGracePeriodSeconds").asLong(0) == 0;
  }

  private static JsonNode withoutMetadataAndStatus(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove(List.of("metadata", "status"));
    return copy;
  }

  /**
   * Rejects a document the typed Kubernetes model cannot decode (a string where a list belongs,
   * ...) with 400, as the API server's decoder does, before defaulting or storing touches it.
   */
  private static void requireDecodable(ResourceType type, ObjectNode object) {
    ObjectNode typed = object.deepCopy();
    typed.put("kind", type.kind());
    typed.put("apiVersion", type.groupVersion());
    try {
      Serialization.unmarshal(Json.write(typed), KubernetesResource.class);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw ApiException.badRequest(
          type.kind()
              + " in version \""
              + type.version()
              + "\" cannot be handled as a "
              + type.kind()
              + ": "
              + cause.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void requireFreshVersion(
      ResourceType type, ObjectNode current, JsonNode proposed) {
    String wanted = Json.text(proposed, "metadata", "resourceVersion");
    if (!wanted.isEmpty() && !wanted.equals(Json.text(current, "metadata", "resourceVersion"))) {
      throw ApiException.conflict(type, Json.text(current, "metadata", "name"));
    }
  }

  private String nameFor(ResourceType type, ObjectNode metadata) {
    String name = metadata.path("name").asText("");
    String prefix = metadata.path("generateName").asText("");
    if (name.isEmpty() && prefix.isEmpty()) {
      throw ApiException.invalid(
          type, "", "metadata.name: Required value: name or generateName is required");
    }
    if (name.isEmpty()) {
      String namespace = metadata.path("namespace").asText(null);
      do {
        name = ObjectNames.generate(prefix);
      } while (store.get(type, namespace, name).isPresent());
      metadata.put("name", name);
    }
    String problem = ObjectNames.problem(type, name);
    if (problem != null) {
      throw ApiException.invalid(
          type, name, "metadata.name: Invalid value: \"" + name + "\": " + problem);
    }
    return name;
  }

  private void requireActiveNamespace(ResourceType type, String name, String namespace) {
    ObjectNode ns =
        store
            .get(ResourceTypes.NAMESPACES, null, namespace)
            .orElseThrow(() -> ApiException.notFound(ResourceTypes.NAMESPACES, namespace));
    if (ns.path("metadata").hasNonNull("deletionTimestamp")) {
      throw ApiException.forbidden(
          type,
          name,
          "unable to create new content in namespace "
              + namespace
              + " because it is being terminated");
    }
  }

  private static void checkKind(ResourceType type, ObjectNode object) {
    String kind = object.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest(
          "the kind of the object ("
              + kind
              + ") does not match the resource ("
              + type.qualifiedPlural()
              + ")");
    }
    object.put("kind", type.kind());
    object.put("apiVersion", type.groupVersion());
  }

  /**
   * The serviceaccounts controller's job: every namespace gets a {@code default} ServiceAccount.
   */
  private void createDefaultServiceAccount(String namespace, Instant now) {
    ResourceType type = ResourceTypes.SERVICE_ACCOUNTS;
    if (store.get(type, namespace, "default").isPresent()) {
      return;
    }
    ObjectNode account = Json.object();
    account.put("kind", type.kind());
    account.put("apiVersion", type.groupVersion());
    ObjectNode metadata = account.putObject("metadata");
    metadata.put("name", "default");
    metadata.put("namespace", namespace);
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", Json.timestamp(now));
    store.create(type, account);
  }
}
