package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    ObjectChecks.checkKind(type, object);
    ObjectChecks.requireDecodable(type, object);
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
          UpdateRules.SYSTEM_METADATA.forEach(metadata::remove);
          metadata.remove(List.of("selfLink", "managedFields"));
          metadata.put("uid", UUID.randomUUID().toString());
          metadata.put("creationTimestamp", Json.timestamp(now));
          if (UpdateRules.tracksGeneration(type)) {
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
    ObjectChecks.checkKind(path.type(), body);
    return store.locked(
        () -> {
          ObjectNode current = get(path.type(), path.namespace(), path.name());
          ObjectChecks.requireFreshVersion(path.type(), current, body);
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
          ObjectChecks.requireFreshVersion(path.type(), current, patched);
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
    ObjectNode next = UpdateRules.next(type, current, proposed, subresource);
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
   * Whether an update left a terminating object with no finalizers and no grace period: it goes
   * away.
   */
  private static boolean finalizedAfterDeletion(ObjectNode next) {
    JsonNode metadata = next.path("metadata");
    return metadata.hasNonNull("deletionTimestamp")
        && metadata.path("finalizers").isEmpty()
        && metadata.path("deletionGracePeriodSeconds").asLong(0) == 0;
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
