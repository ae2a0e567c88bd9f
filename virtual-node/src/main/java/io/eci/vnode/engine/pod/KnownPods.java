package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.pod.PodController.PodRecord;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the engine believes about each pod of the node, in one place (as virtual-kubelet's {@code
 * knownPods}): the instance it runs as, since when it waits for one, how often the status poll
 * missed its instance, the last instance status it shows, a status write waiting to be made, how
 * far its deletion has come, and the pods deleted lately. Every map is behind a named operation, so
 * a reader can find who changes what; all are safe to use from several threads.
 */
final class KnownPods {

  /**
   * Reads are eventually consistent: an instance must be missing from this many polls in a row to
   * be gone.
   */
  static final int POLLS_BEFORE_GONE = 2;

  private final Map<String, String> instanceByPodUid = new ConcurrentHashMap<>();

  /** When each pod still without an instance was first seen on the node (nanoTime). */
  private final Map<String, Long> waitingSince = new ConcurrentHashMap<>();

  private final Map<String, Integer> missedPolls = new ConcurrentHashMap<>();

  /** By instance id: the fingerprint of the status its pod shows, so it is not described again. */
  private final Map<String, String> shownFingerprint = new ConcurrentHashMap<>();

  /** By pod key: the latest observation a status write is queued for. */
  private final Map<String, StatusPoll.Observation> observed = new ConcurrentHashMap<>();

  /** Pods being deleted, by UID: how far their instance's stop has come. */
  private final Map<String, Stop> stops = new ConcurrentHashMap<>();

  /**
   * Instances whose delete this engine has asked for, by id, with when: one owner of "deleting" per
   * instance, so the deletion of a pod and the orphan collector never delete one twice.
   */
  private final Map<String, Instant> deleting = new ConcurrentHashMap<>();

  /** Pods that left the cluster lately, by UID, for a host's pod ledger. */
  private final Map<String, PodRecord> departed = new ConcurrentHashMap<>();

  /** Status polls started so far; a poll only tells about deletions requested before it began. */
  private final AtomicLong pollsStarted = new AtomicLong();

  // The instance each pod runs as.

  Optional<String> instanceOf(String podUid) {
    return Optional.ofNullable(instanceByPodUid.get(podUid));
  }

  /** The instance the engine knows for the pod, else the one recorded on it, else null. */
  String instanceOrRecorded(Pod pod) {
    return instanceByPodUid.getOrDefault(
        PodFields.uid(pod), PodFields.annotation(pod, PodController.INSTANCE_ANNOTATION));
  }

  boolean hasInstance(String podUid) {
    return instanceByPodUid.containsKey(podUid);
  }

  /** The pod runs as this instance: created, adopted, or found by its pod-uid tag. */
  void runsAs(String podUid, String instanceId) {
    instanceByPodUid.put(podUid, instanceId);
  }

  /** The pod no longer runs as the instance it had (replaced, gone or deleted). */
  void forgetInstance(String podUid) {
    instanceByPodUid.remove(podUid);
  }

  /** Which pod runs as which instance, as of now. */
  Map<String, String> instancesByPod() {
    return Map.copyOf(instanceByPodUid);
  }

  /** The instances some pod is known to run as. */
  Set<String> instancesOfPods() {
    return new HashSet<>(instanceByPodUid.values());
  }

  // Pods waiting for an instance, for the create latency.

  /** Remembers when a pod without an instance was first seen on the node. */
  void sighted(Pod pod) {
    if (!hasInstance(PodFields.uid(pod)) && !PodFields.isFinal(pod)) {
      waitingSince.putIfAbsent(PodFields.uid(pod), System.nanoTime());
    }
  }

  /** The pod waits for no instance (any more); how long it waited, if it was seen waiting. */
  Optional<Duration> stopWaiting(String podUid) {
    Long since = waitingSince.remove(podUid);
    return since == null
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(System.nanoTime() - since));
  }

  // What each pod shows of its instance.

  /** Whether the instance's pod shows the status this state has, so describing it again is moot. */
  boolean shows(InstanceState state) {
    return state.fingerprint().equals(shownFingerprint.get(state.id()));
  }

  /** The instance's pod now shows the status whose fingerprint this is. */
  void shown(String instanceId, String fingerprint) {
    if (fingerprint != null) {
      shownFingerprint.put(instanceId, fingerprint);
    }
  }

  /** Forgets what is shown of the instances that no longer exist. */
  void forgetShownExcept(Set<String> presentInstances) {
    shownFingerprint.keySet().retainAll(presentInstances);
  }

  /** A poll found the pod's instance. */
  void found(String podUid) {
    missedPolls.remove(podUid);
  }

  /** A poll missed the pod's instance; true when that makes it gone (the count starts again). */
  boolean missedAndGone(String podUid) {
    if (missedPolls.merge(podUid, 1, Integer::sum) >= POLLS_BEFORE_GONE) {
      missedPolls.remove(podUid);
      return true;
    }
    return false;
  }

  /** Keeps the pod's latest observation for its queued status write; the latest wins. */
  void observe(String podKey, StatusPoll.Observation observation) {
    observed.put(podKey, observation);
  }

  /** The pod's observation waiting for its status write, taken out. */
  Optional<StatusPoll.Observation> takeObservation(String podKey) {
    return Optional.ofNullable(observed.remove(podKey));
  }

  // Deletions.

  long startPoll() {
    return pollsStarted.incrementAndGet();
  }

  /** The number the next poll to begin will have. */
  long nextPoll() {
    return pollsStarted.get() + 1;
  }

  Optional<Stop> stopOf(String podUid) {
    return Optional.ofNullable(stops.get(podUid));
  }

  void stopRequested(String podUid, Stop stop) {
    stops.put(podUid, stop);
  }

  /** Replaces the pod's stop if it is still {@code expected}; false when another thread did. */
  boolean replaceStop(String podUid, Stop expected, Stop next) {
    return stops.replace(podUid, expected, next);
  }

  /** The engine removed the pod; its stop says so. */
  void removed(String podUid) {
    stops.computeIfPresent(podUid, (k, s) -> s.removed());
  }

  /** Forgets the stops of pods no longer in the cluster. */
  void forgetStopsExcept(Set<String> livePodUids) {
    stops.keySet().retainAll(livePodUids);
  }

  /**
   * Takes the delete of an instance on; false when it is taken already (by the pod's deletion or
   * the orphan collector), and then the caller must not delete it.
   */
  boolean startDeleting(String instanceId, Instant now) {
    return deleting.putIfAbsent(instanceId, now) == null;
  }

  /** The delete failed: whoever comes next (a retry, the collector) may try it again. */
  void deleteFailed(String instanceId) {
    deleting.remove(instanceId);
  }

  /** Whether the engine has asked for the instance's delete. */
  boolean isDeleting(String instanceId) {
    return deleting.containsKey(instanceId);
  }

  /**
   * Forgets the deletes asked for before {@code before} of instances a status read no longer finds:
   * the read is eventually consistent, so a fresh one is kept even when missing.
   */
  void forgetDeletedExcept(Set<String> presentInstances, Instant before) {
    deleting
        .entrySet()
        .removeIf(e -> !presentInstances.contains(e.getKey()) && e.getValue().isBefore(before));
  }

  // Pods leaving, and the ledger.

  /** The pod left the cluster: nothing is believed of it any more but its record. */
  void departed(Pod pod, Instant at) {
    String uid = PodFields.uid(pod);
    waitingSince.remove(uid);
    String id = instanceByPodUid.remove(uid);
    departed.put(uid, record(pod, id, at));
    stops.remove(uid);
  }

  /**
   * The pods in the cache with the instance each runs as, plus those departed since {@code
   * keepSince}.
   */
  List<PodRecord> records(List<Pod> cached, Instant keepSince) {
    departed.values().removeIf(r -> r.deletedAt().orElseThrow().isBefore(keepSince));
    List<PodRecord> records = new ArrayList<>(departed.values());
    for (Pod pod : cached) {
      records.add(record(pod, instanceByPodUid.get(PodFields.uid(pod)), null));
    }
    return records;
  }

  private static PodRecord record(Pod pod, String knownInstance, Instant deletedAt) {
    var meta = pod.getMetadata();
    String instance =
        knownInstance != null
            ? knownInstance
            : PodFields.annotation(pod, PodController.INSTANCE_ANNOTATION);
    Instant created =
        meta.getCreationTimestamp() == null
            ? Instant.now()
            : Instant.parse(meta.getCreationTimestamp());
    return new PodRecord(
        meta.getUid(),
        meta.getNamespace(),
        meta.getName(),
        Optional.ofNullable(instance),
        Optional.ofNullable(PodFields.annotation(pod, PodController.ZONE_ANNOTATION)),
        PodFields.phase(pod).wire(),
        created,
        Optional.ofNullable(deletedAt));
  }
}
