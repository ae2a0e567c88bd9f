package io.eci.vnode.engine.pod.fake;

import io.eci.vnode.engine.pod.PodStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The node's pods in memory, as an API server and an always up-to-date informer would show them:
 * every write is applied at once and recorded, a removed pod that finalizers keep stays, and
 * refusals can be injected ({@link #refuseNextWrite}). No I/O.
 */
public final class FakePodStore implements PodStore {

  /** One write the engine made, as the API server received it. */
  public record Write(String kind, String key, Map<String, String> annotations, PodStatus status) {}

  public static final String NAMESPACE = "default";

  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final List<Write> writes = new ArrayList<>();
  private final Deque<Integer> refusals = new ArrayDeque<>();
  private final List<Consumer<Pod>> onGone = new ArrayList<>();
  private final List<Consumer<Pod>> onWritten = new ArrayList<>();
  private final Map<String, String> uidInApiServer = new HashMap<>();
  private boolean synced = true;

  /** Adds the pod (in {@link #NAMESPACE}, with a UID, unless it has them) and returns it. */
  public synchronized Pod add(Pod pod) {
    PodBuilder b = new PodBuilder(pod);
    if (pod.getMetadata().getNamespace() == null) {
      b.editMetadata().withNamespace(NAMESPACE).endMetadata();
    }
    if (pod.getMetadata().getUid() == null) {
      b.editMetadata().withUid(UUID.randomUUID().toString()).endMetadata();
    }
    if (pod.getMetadata().getCreationTimestamp() == null) {
      b.editMetadata().withCreationTimestamp(Instant.now().toString()).endMetadata();
    }
    Pod added = b.build();
    pods.put(key(added), added);
    return copy(added);
  }

  /** Changes the stored pod, as a user or another controller would. */
  public synchronized Pod change(String name, Consumer<PodBuilder> change) {
    PodBuilder b = new PodBuilder(pods.get(NAMESPACE + "/" + name));
    change.accept(b);
    Pod changed = b.build();
    pods.put(key(changed), changed);
    return copy(changed);
  }

  /** Marks the pod deleted with this grace period, as the API server does for a bound pod. */
  public Pod markDeleted(String name, long graceSeconds) {
    return change(
        name,
        b ->
            b.editMetadata()
                .withDeletionTimestamp(Instant.now().plusSeconds(graceSeconds).toString())
                .withDeletionGracePeriodSeconds(graceSeconds)
                .endMetadata());
  }

  /**
   * The API server has a new pod of this name, with this UID, that the cache does not show yet:
   * {@link #read} sees it, {@link #cached} the old one.
   */
  public synchronized void replacedInApiServer(String name, String uid) {
    uidInApiServer.put(NAMESPACE + "/" + name, uid);
  }

  /** Told of every pod that leaves the store, as an informer's onDelete is. */
  public synchronized void onGone(Consumer<Pod> listener) {
    onGone.add(listener);
  }

  /** Told of every pod the engine wrote, as an informer's onUpdate is. */
  public synchronized void onWritten(Consumer<Pod> listener) {
    onWritten.add(listener);
  }

  /** The cache has not (or has) listed the pods yet. */
  public synchronized void synced(boolean synced) {
    this.synced = synced;
  }

  /** The next write is refused with this HTTP code (say 409 or 403). */
  public synchronized void refuseNextWrite(int code) {
    refusals.add(code);
  }

  /** The pod as it is now, or null once it is gone. */
  public synchronized Pod pod(String name) {
    Pod pod = pods.get(NAMESPACE + "/" + name);
    return pod == null ? null : copy(pod);
  }

  public synchronized List<Write> writes() {
    return List.copyOf(writes);
  }

  public synchronized List<Write> writes(String kind) {
    return writes.stream().filter(w -> w.kind().equals(kind)).toList();
  }

  @Override
  public synchronized Optional<Pod> cached(String key) {
    return Optional.ofNullable(pods.get(key)).map(FakePodStore::copy);
  }

  @Override
  public synchronized List<Pod> cachedPods() {
    return pods.values().stream().map(FakePodStore::copy).toList();
  }

  @Override
  public synchronized boolean synced() {
    return synced;
  }

  @Override
  public synchronized Optional<Pod> read(String namespace, String name) {
    String key = namespace + "/" + name;
    String uid = uidInApiServer.get(key);
    return cached(key)
        .map(
            p ->
                uid == null
                    ? p
                    : new PodBuilder(p).editMetadata().withUid(uid).endMetadata().build());
  }

  @Override
  public synchronized void annotate(Pod pod, Map<String, String> annotations) {
    write("annotate", pod, annotations, null);
  }

  @Override
  public synchronized void writeStatus(Pod pod, Map<String, String> annotations, PodStatus status) {
    write("status", pod, annotations, status);
  }

  @Override
  public synchronized void remove(Pod pod) {
    write("remove", pod, Map.of(), null);
    Pod stored = pods.get(key(pod));
    if (stored.getMetadata().getFinalizers() == null
        || stored.getMetadata().getFinalizers().isEmpty()) {
      pods.remove(key(pod));
      onGone.forEach(l -> l.accept(copy(stored)));
    }
  }

  private void write(String kind, Pod pod, Map<String, String> annotations, PodStatus status) {
    Integer refusal = refusals.poll();
    if (refusal != null) {
      throw new KubernetesClientException("refused", refusal, null);
    }
    Pod stored = pods.get(key(pod));
    if (stored == null) {
      throw new KubernetesClientException("pods \"" + key(pod) + "\" not found", 404, null);
    }
    writes.add(new Write(kind, key(pod), new HashMap<>(annotations), status));
    PodBuilder b = new PodBuilder(stored);
    Map<String, String> merged =
        new HashMap<>(
            stored.getMetadata().getAnnotations() == null
                ? Map.of()
                : stored.getMetadata().getAnnotations());
    annotations.forEach(
        (k, v) -> {
          if (v == null) {
            merged.remove(k);
          } else {
            merged.put(k, v);
          }
        });
    b.editMetadata().withAnnotations(merged).endMetadata();
    if (status != null) {
      b.withStatus(status);
    }
    Pod written = b.build();
    pods.put(key(pod), written);
    onWritten.forEach(l -> l.accept(copy(written)));
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static Pod copy(Pod pod) {
    return new PodBuilder(pod).build();
  }
}
