package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.threads.KeyedQueue;
import io.eci.vnode.engine.threads.Lane;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on pods, so {@code kubectl describe pod} says what the virtual node did and
 * why. The same event on the same pod again (a pod that keeps waiting for a missing ConfigMap, a
 * create that keeps being throttled) is counted on the Event already written, as the kubelet's
 * event recorder does ({@code 12x over 3m}), instead of a new Event each time; occurrences that
 * come while the last write is still under way are written together.
 */
final class PodEvents implements EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(PodEvents.class);

  /** How many distinct events on pods are remembered for counting; the oldest is forgotten. */
  static final int REMEMBERED = 1024;

  private final KubernetesClient client;
  private final String nodeName;
  private final KeyedQueue writes;

  /**
   * By what makes two events the same; least recently recorded first. One not written yet is never
   * forgotten, so a burst of more distinct events than this remembers loses none of them; the map
   * shrinks back as they are written ({@link #forgetOldest}).
   */
  private final Map<String, Series> series = new LinkedHashMap<>(64, 0.75f, true);

  /** The same series by their key in the write queue, which reads well in logs. */
  private final Map<String, Series> byWriteKey = new HashMap<>();

  private long nextSeries;

  /**
   * @param lane where events are written, off the path of the work they explain
   */
  PodEvents(KubernetesClient client, String nodeName, String clusterId, Lane lane) {
    this.client = client;
    this.nodeName = nodeName;
    this.writes = new KeyedQueue("events", clusterId, lane, this::write);
  }

  @Override
  public void normal(Pod pod, String reason, String message) {
    record(pod, "Normal", reason, message);
  }

  @Override
  public void warning(Pod pod, String reason, String message) {
    record(pod, "Warning", reason, message);
  }

  private void record(Pod pod, String type, String reason, String message) {
    var meta = pod.getMetadata();
    String key = String.join("\u0000", meta.getUid(), type, reason, message);
    String now = Instant.now().toString();
    String writeKey;
    synchronized (series) {
      Series s = series.get(key);
      if (s == null) {
        s =
            new Series(
                meta.getNamespace() + "/" + meta.getName() + " " + reason + " #" + nextSeries++,
                meta,
                type,
                reason,
                message,
                now);
        series.put(key, s);
        byWriteKey.put(s.writeKey, s);
        forgetOldest();
      }
      s.occurred(now);
      writeKey = s.writeKey;
    }
    writes.enqueue(writeKey);
  }

  /** Writes what happened of one series since its last write: a new Event, or a higher count. */
  private void write(String writeKey) {
    Series s;
    Series.Snapshot snapshot;
    synchronized (series) {
      s = byWriteKey.get(writeKey);
      if (s == null || s.count == s.written) {
        return;
      }
      snapshot = s.snapshot();
    }
    try {
      String name = snapshot.name() == null ? null : patch(s, snapshot);
      if (name == null) {
        name = create(s, snapshot);
      }
      synchronized (series) {
        s.name = name;
        s.written = Math.max(s.written, snapshot.count());
        forgetOldest();
      }
    } catch (RuntimeException e) {
      // An event is an explanation, not state: losing one must not fail the work it explains (nor
      // keep it in memory for a retry that would fail alike).
      synchronized (series) {
        s.written = Math.max(s.written, snapshot.count());
        forgetOldest();
      }
      LOG.warn(
          "could not record event {} on pod {}/{}: {}", s.reason, s.namespace, s.pod, e.toString());
    }
  }

  /** How many series are remembered now. */
  int remembered() {
    synchronized (series) {
      return series.size();
    }
  }

  /**
   * Forgets the least recently recorded series beyond {@link #REMEMBERED}, as long as they are
   * written. Writes go in about the order events are recorded, so the oldest are written first.
   * Called holding the lock on {@link #series}.
   */
  private void forgetOldest() {
    var oldest = series.values().iterator();
    while (series.size() > REMEMBERED && oldest.hasNext()) {
      Series s = oldest.next();
      if (s.written != s.count) {
        return;
      }
      oldest.remove();
      byWriteKey.remove(s.writeKey);
    }
  }

  /** Raises the count of the series' Event; null when that Event is gone (Events expire). */
  private String patch(Series s, Series.Snapshot snapshot) {
    String body =
        "{\"count\":" + snapshot.count() + ",\"lastTimestamp\":\"" + snapshot.last() + "\"}";
    try {
      // by the object, not withName: fabric8 reads an object before patching it by name
      client
          .v1()
          .events()
          .inNamespace(s.namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(snapshot.name())
                  .withNamespace(s.namespace)
                  .endMetadata()
                  .build())
          .patch(PatchContext.of(PatchType.JSON_MERGE), body);
      return snapshot.name();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private String create(Series s, Series.Snapshot snapshot) {
    Event created =
        client
            .v1()
            .events()
            .inNamespace(s.namespace)
            .resource(
                new EventBuilder()
                    .withNewMetadata()
                    .withGenerateName(s.pod + ".")
                    .withNamespace(s.namespace)
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withNamespace(s.namespace)
                    .withName(s.pod)
                    .withUid(s.uid)
                    .endInvolvedObject()
                    .withType(s.type)
                    .withReason(s.reason)
                    .withMessage(s.message)
                    .withFirstTimestamp(s.first)
                    .withLastTimestamp(snapshot.last())
                    .withCount(snapshot.count())
                    .withNewSource()
                    .withComponent("eci-virtual-node")
                    .withHost(nodeName)
                    .endSource()
                    .build())
            .create();
    return created.getMetadata().getName();
  }

  /** One event on one pod, however often it occurred. Guarded by the map it lives in. */
  private static final class Series {
    final String writeKey;
    final String namespace;
    final String pod;
    final String uid;
    final String type;
    final String reason;
    final String message;
    final String first;
    String last;
    int count;
    int written;
    String name;

    Series(
        String writeKey, ObjectMeta pod, String type, String reason, String message, String first) {
      this.writeKey = writeKey;
      this.namespace = pod.getNamespace();
      this.pod = pod.getName();
      this.uid = pod.getUid();
      this.type = type;
      this.reason = reason;
      this.message = message;
      this.first = first;
    }

    void occurred(String at) {
      last = at;
      count++;
    }

    Snapshot snapshot() {
      return new Snapshot(name, last, count);
    }

    record Snapshot(String name, String last, int count) {}
  }
}
