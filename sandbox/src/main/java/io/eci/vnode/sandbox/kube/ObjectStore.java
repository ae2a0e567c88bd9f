package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The object storage, built on fabric8's CRUD mock: objects live in {@link
 * KubernetesCrudDispatcher}'s map of JSON documents under its attribute keys, resourceVersions come
 * from its counter, and every write — ours, or one its own handlers make for a request the stand-in
 * passes through — goes through its {@code processEvent}, which this class extends to publish the
 * change to the {@link WatchHub}. One lock serialises writes so resourceVersions and watch events
 * stay in the same order.
 */
final class ObjectStore {

  private final ReentrantLock lock = new ReentrantLock();
  private final ResourceTypes types;
  private final WatchHub watches;
  private final Backend backend = new Backend();

  ObjectStore(ResourceTypes types, WatchHub watches) {
    this.types = types;
    this.watches = watches;
  }

  /** Runs {@code work} atomically with respect to every other store operation. */
  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return locked(
        () -> {
          Map.Entry<AttributeSet, String> entry = backend.find(type.objectPath(namespace, name));
          return Optional.ofNullable(entry).map(e -> Json.read(e.getValue()));
        });
  }

  /**
   * The objects of a type, in one namespace or (null) all, in the API server's order (namespace,
   * name).
   */
  List<ObjectNode> list(ResourceType type, String namespace) {
    return locked(
        () -> {
          AttributeSet key = backend.getKey(type.collectionPath(namespace));
          List<ObjectNode> objects = new ArrayList<>();
          Map<AttributeSet, String> map = backend.getMap();
          synchronized (map) {
            for (Map.Entry<AttributeSet, String> entry : map.entrySet()) {
              if (entry.getKey().matches(key)) {
                objects.add(Json.read(entry.getValue()));
              }
            }
          }
          objects.sort(
              Comparator.comparing((ObjectNode o) -> Json.text(o, "metadata", "namespace"))
                  .thenComparing(o -> Json.text(o, "metadata", "name")));
          return objects;
        });
  }

  /** The resourceVersion of the latest write. */
  long resourceVersion() {
    return locked(backend::latestResourceVersion);
  }

  /** Stores a new object, stamping its resourceVersion; returns the stored copy. */
  ObjectNode create(ResourceType type, ObjectNode object) {
    return locked(() -> write(type, null, object));
  }

  /**
   * Replaces {@code current} with {@code updated}, stamping a new resourceVersion; returns the
   * stored copy.
   */
  ObjectNode replace(ResourceType type, ObjectNode current, ObjectNode updated) {
    return locked(() -> write(type, current, updated));
  }

  /** Removes an object; returns its last state at the resourceVersion of the deletion. */
  ObjectNode remove(ResourceType type, ObjectNode current) {
    return locked(
        () -> {
          String path = pathOf(type, current);
          Map.Entry<AttributeSet, String> entry = backend.find(path);
          if (entry == null) {
            throw ApiException.notFound(type, Json.text(current, "metadata", "name"));
          }
          ObjectNode last = Json.read(entry.getValue());
          backend.processEvent(path, backend.getKey(path), entry.getKey(), null, null);
          Json.metadata(last)
              .put("resourceVersion", Long.toString(backend.latestResourceVersion()));
          return last;
        });
  }

  /** Serves a request the stand-in does not handle itself with fabric8's CRUD handlers. */
  MockResponse passThrough(RecordedRequest request) {
    return locked(() -> backend.dispatch(request));
  }

  private ObjectNode write(ResourceType type, ObjectNode current, ObjectNode updated) {
    String path = pathOf(type, updated);
    AttributeSet key = backend.getKey(path);
    AttributeSet oldKey = null;
    if (current != null) {
      Map.Entry<AttributeSet, String> entry = backend.find(path);
      oldKey = entry == null ? null : entry.getKey();
    }
    ObjectNode stored = updated.deepCopy();
    Json.metadata(stored).put("resourceVersion", Long.toString(backend.requestResourceVersion()));
    backend.processEvent(path, key, oldKey, null, Json.write(stored));
    return stored;
  }

  private static String pathOf(ResourceType type, ObjectNode object) {
    String namespace = type.namespaced() ? Json.text(object, "metadata", "namespace") : null;
    return type.objectPath(namespace, Json.text(object, "metadata", "name"));
  }

  /** fabric8's CRUD dispatcher, with its single write path extended to feed the watch hub. */
  private final class Backend extends KubernetesCrudDispatcher {
    private long latest;

    /**
     * The stored key of each object by its path. fabric8's {@code findResource} scans every stored
     * object, which made each request O(n) and a burst of writes O(n²); this index, kept by the one
     * write path below, answers exact lookups at once and falls back to the scan whenever it cannot
     * vouch for an entry.
     */
    private final Map<String, AttributeSet> keysByPath = new HashMap<>();

    /** Paths whose stored key the index could not work out; only these need the scan. */
    private final Set<String> unindexed = new HashSet<>();

    /**
     * The stored entry of the object at {@code path}, or null. Every write passes through {@link
     * #processEvent}, so a path the index does not know, and has not given up on, holds nothing.
     */
    Map.Entry<AttributeSet, String> find(String path) {
      AttributeSet key = keysByPath.get(path);
      if (key != null) {
        String value = getMap().get(key);
        if (value != null) {
          return Map.entry(key, value);
        }
      }
      return unindexed.contains(path) ? findResource(getKey(path)) : null;
    }

    @Override
    public long requestResourceVersion() {
      latest = super.requestResourceVersion();
      return latest;
    }

    long latestResourceVersion() {
      return latest;
    }

    @Override
    public void processEvent(
        String path,
        AttributeSet pathAttributes,
        AttributeSet oldAttributes,
        GenericKubernetesResource resource,
        String newState) {
      String existing = oldAttributes == null ? null : getMap().get(oldAttributes);
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      index(path, pathAttributes, newState);
      if (Objects.equals(existing, newState)) {
        return;
      }
      Optional<ResourceType> type =
          ResourcePath.parse(path.split("\\?")[0], types).map(ResourcePath::type);
      if (type.isEmpty()) {
        return; // a resource the stand-in does not serve; fabric8 keeps it, nobody can watch it
      }
      ObjectNode previous = existing == null ? null : Json.read(existing);
      ObjectNode current = newState == null ? null : Json.read(newState);
      long version =
          current == null
              ? requestResourceVersion()
              : parseVersion(Json.text(current, "metadata", "resourceVersion"));
      watches.publish(new WatchHub.Change(type.get(), previous, current, version));
    }

    private void index(String path, AttributeSet pathAttributes, String newState) {
      String objectPath = path.split("\\?")[0];
      keysByPath.remove(objectPath);
      unindexed.remove(objectPath);
      if (newState == null) {
        return;
      }
      AttributeSet stored =
          AttributeSet.merge(pathAttributes, getAttributeExtractor().fromResource(newState));
      if (newState.equals(getMap().get(stored))) {
        keysByPath.put(objectPath, stored);
      } else {
        unindexed.add(objectPath);
      }
    }

    private long parseVersion(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return requestResourceVersion();
      }
    }
  }
}
