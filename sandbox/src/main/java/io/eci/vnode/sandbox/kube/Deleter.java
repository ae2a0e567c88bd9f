package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;

/**
 * Deletion as a real API server does it. An object with finalizers, or a pod bound to a node with a
 * grace period, is only marked ({@code deletionTimestamp}, {@code deletionGracePeriodSeconds}) and
 * stays until it is deleted again with grace 0 (what a kubelet does once the containers are gone)
 * and its finalizers are empty; a later delete may shorten the grace period, never extend it.
 * Anything else is removed at once.
 *
 * <p>Namespaces are the exception the stand-in simplifies: with no namespace controller running,
 * deleting one removes everything in it at once (bound pods included) instead of passing through
 * {@code Terminating}.
 */
final class Deleter {

  private static final Set<String> UNDELETABLE_NAMESPACES =
      Set.of("default", "kube-system", "kube-public");

  private final Registry registry;
  private final ResourceTypes types;

  Deleter(Registry registry, ResourceTypes types) {
    this.registry = registry;
    this.types = types;
  }

  /**
   * Deletes one object; returns its state after the call (marked, or its last state if removed).
   */
  ObjectNode delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    ObjectStore store = registry.store();
    return store.locked(
        () -> {
          ObjectNode current = registry.get(type, namespace, name);
          checkPreconditions(type, current, options);
          if (type.equals(ResourceTypes.NAMESPACES)) {
            return deleteNamespace(current, options);
          }
          long grace =
              TypeStrategy.of(type).gracePeriodSeconds(current, options.gracePeriodSeconds());
          JsonNode metadata = current.path("metadata");
          boolean finalizers = !metadata.path("finalizers").isEmpty();
          if (grace == 0 && !finalizers) {
            if (options.dryRun()) {
              return current;
            }
            // A pod's deletion is always graceful to the API server: even with no grace left it
            // is first marked (a MODIFIED event with deletionTimestamp), then removed.
            ObjectNode last =
                type.equals(ResourceTypes.PODS)
                    ? store.replace(type, current, marked(current, 0))
                    : current;
            return store.remove(type, last);
          }
          if (metadata.hasNonNull("deletionTimestamp")
              && grace >= metadata.path("deletionGracePeriodSeconds").asLong(0)) {
            return current; // already terminating at least this soon
          }
          ObjectNode marked = marked(current, grace);
          return options.dryRun() ? marked : store.replace(type, current, marked);
        });
  }

  /** The object marked for deletion in {@code grace} seconds. */
  private ObjectNode marked(ObjectNode current, long grace) {
    ObjectNode marked = current.deepCopy();
    Instant deadline = registry.now().plusSeconds(grace);
    Json.metadata(marked).put("deletionTimestamp", Json.timestamp(deadline));
    Json.metadata(marked).put("deletionGracePeriodSeconds", grace);
    return marked;
  }

  /** Deletes every object a filter matches; returns them as a list. */
  ObjectNode deleteCollection(ObjectFilter filter, DeleteOptions options) {
    return registry
        .store()
        .locked(
            () -> {
              ObjectNode list = registry.list(filter);
              ArrayNode deleted = Json.array();
              for (JsonNode item : list.path("items")) {
                deleted.add(
                    delete(
                        filter.type(),
                        Json.text(item, "metadata", "namespace"),
                        Json.text(item, "metadata", "name"),
                        options));
              }
              list.set("items", deleted);
              return list;
            });
  }

  private ObjectNode deleteNamespace(ObjectNode namespace, DeleteOptions options) {
    String name = Json.text(namespace, "metadata", "name");
    if (UNDELETABLE_NAMESPACES.contains(name)) {
      throw ApiException.forbidden(
          ResourceTypes.NAMESPACES, name, "this namespace may not be deleted");
    }
    if (options.dryRun()) {
      return namespace;
    }
    ObjectStore store = registry.store();
    for (ResourceType type : types.all()) {
      if (type.namespaced() && type.stored()) {
        store.list(type, name).forEach(object -> store.remove(type, object));
      }
    }
    return store.remove(ResourceTypes.NAMESPACES, namespace);
  }

  private static void checkPreconditions(
      ResourceType type, ObjectNode current, DeleteOptions options) {
    String name = Json.text(current, "metadata", "name");
    String uid = Json.text(current, "metadata", "uid");
    if (options.uid() != null && !options.uid().equals(uid)) {
      throw ApiException.conflict(
          type,
          name,
          "Precondition failed: UID in precondition: "
              + options.uid()
              + ", UID in object meta: "
              + uid);
    }
    String version = Json.text(current, "metadata", "resourceVersion");
    if (options.resourceVersion() != null && !options.resourceVersion().equals(version)) {
      throw ApiException.conflict(
          type,
          name,
          "Precondition failed: ResourceVersion in precondition: "
              + options.resourceVersion()
              + ", ResourceVersion in object meta: "
              + version);
    }
  }
}
