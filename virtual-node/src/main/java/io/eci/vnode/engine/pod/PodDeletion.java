package io.eci.vnode.engine.pod;

import static java.util.Comparator.naturalOrder;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.threads.KeyedQueue.Outcome;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A pod being deleted has its instance deleted, and stays Terminating while the instance stops (ECI
 * gives its containers the pod's grace period), as a kubelet keeps a pod until its containers have
 * stopped: once the status poll no longer finds the instance (twice in a row, reads being
 * eventually consistent, counting only polls that began after the delete), or at the latest when
 * its grace period is over (a timer, so an ECI that cannot be read does not hold the pod), the pod
 * is handed to the {@code deletePodsFromKubernetes} queue, which gives it a terminal phase and
 * removes it, checked by UID. Finalizers may keep it after that; it is not touched again.
 *
 * <p>The pod is never removed while an instance for it may run: a pod whose instance the engine
 * does not know is kept until a read by its pod-uid tag finds none, or finds one and it stops. An
 * instance is deleted by one owner only ({@link KnownPods#startDeleting}): this deletion or the
 * {@link OrphanCollector}, never both.
 *
 * <p>The instance is stopped from the pod sync queue ({@link #stopInstance}), so that it never
 * overlaps a create of the same pod: a delete that arrives during the create waits for its instance
 * id. The pod is removed from a queue of its own ({@link #deletePodsFromKubernetes}).
 */
final class PodDeletion {

  private final String clusterId;
  private final KnownPods known;
  private final PodStore store;
  private final ContainerInstances eci;
  private final EventRecorder events;
  private final PodFailures failures;
  private final BooleanSupplier mayWrite;
  private final Clock clock;
  private final Later later;
  private final PodQueue removals;

  /**
   * @param removals the {@code deletePodsFromKubernetes} queue, whose handler is {@link
   *     #deletePodsFromKubernetes}
   * @param later the timer that hands a pod to {@code removals} when its grace period is over
   * @param clusterId the cluster tag an instance must carry to be stopped
   */
  PodDeletion(
      String clusterId,
      KnownPods known,
      PodStore store,
      ContainerInstances eci,
      EventRecorder events,
      PodFailures failures,
      BooleanSupplier mayWrite,
      Clock clock,
      Later later,
      PodQueue removals) {
    this.clusterId = clusterId;
    this.known = known;
    this.store = store;
    this.eci = eci;
    this.events = events;
    this.failures = failures;
    this.mayWrite = mayWrite;
    this.clock = clock;
    this.later = later;
    this.removals = removals;
  }

  /**
   * Deletes the instance of a pod being deleted, once, and waits for it to stop; a second delete
   * with a shorter grace period shortens the wait. A pod without an instance, or whose instance has
   * stopped or whose grace is over, goes to the removals at once. Runs on the sync queue.
   */
  void stopInstance(Pod pod) {
    String uid = PodFields.uid(pod);
    Optional<Stop> stop = known.stopOf(uid);
    if (stop.filter(Stop::podRemoved).isPresent()) {
      return;
    }
    String id = stop.isPresent() ? stop.get().instanceId() : instanceToStop(pod);
    if (id != null && stop.filter(Stop::instanceGone).isEmpty()) {
      Stop waiting = stop.isEmpty() ? requestStop(pod, id) : shortenIfAsked(pod, stop.get());
      if (!waiting.graceOver(clock.instant())) {
        return; // the status poll or the timer hands the pod on
      }
    } else if (stop.isEmpty()) {
      known.stopRequested(uid, Stop.noInstance(clock.instant()));
    }
    removals.enqueue(PodFields.key(pod));
  }

  /**
   * The instance the pod runs as: the one the engine knows or the pod records, else the one a read
   * by its pod-uid tag finds. That read closes the crash window: an engine that restarted between
   * an instance's create and its pod's first status write knows nothing of it, and removing the pod
   * then would leave its containers running without it. Null only when the read found none; a read
   * that fails throws, and the sync queue tries again later, the pod kept.
   */
  private String instanceToStop(Pod pod) {
    String id = known.instanceOrRecorded(pod);
    if (id != null) {
      return id;
    }
    Optional<Instance> found =
        eci.describeByTag(InstanceTags.POD_UID, PodFields.uid(pod)).stream()
            .filter(i -> clusterId.equals(i.tags().get(InstanceTags.CLUSTER)))
            .max(Comparator.comparing(Instance::createdAt, Comparator.nullsFirst(naturalOrder())));
    found.ifPresent(i -> known.runsAs(PodFields.uid(pod), i.id()));
    // One already stopping was deleted before the restart: it is waited for, not deleted again.
    found
        .filter(i -> i.status().filter(st -> st == EciStatus.TERMINATING).isPresent())
        .ifPresent(i -> known.startDeleting(i.id(), clock.instant()));
    return found.map(Instance::id).orElse(null);
  }

  /**
   * Asks ECI to delete the instance, unless the orphan collector already has; either way the pod
   * waits for it to stop.
   */
  private Stop requestStop(Pod pod, String instanceId) {
    if (known.startDeleting(instanceId, clock.instant())) {
      try {
        eci.delete(instanceId);
      } catch (RuntimeException e) {
        known.deleteFailed(instanceId);
        throw e;
      }
      events.normal(pod, "InstanceDeleted", "ECI instance " + instanceId + " deleted");
    }
    Stop stop = Stop.requested(instanceId, known.nextPoll(), graceEnds(pod));
    known.stopRequested(PodFields.uid(pod), stop);
    removeWhenGraceIsOver(pod, stop);
    return stop;
  }

  /**
   * Deleted again with a shorter grace period (kubectl delete --grace-period=1 on a Terminating
   * pod): the wait ends sooner, as a kubelet's does.
   */
  private Stop shortenIfAsked(Pod pod, Stop stop) {
    Instant sooner = graceEnds(pod);
    if (!sooner.isBefore(stop.graceEnds())) {
      return stop;
    }
    Stop shortened = stop.until(sooner);
    if (!known.replaceStop(PodFields.uid(pod), stop, shortened)) {
      return stop;
    }
    removeWhenGraceIsOver(pod, shortened);
    return shortened;
  }

  /**
   * Notes, for the status poll numbered {@code thisPoll}, whether a deleted pod's instance is still
   * there; hands the pod to the removals once it is gone.
   */
  void followStop(Pod pod, Set<String> presentInstances, long thisPoll) {
    String uid = PodFields.uid(pod);
    Optional<Stop> followed =
        known
            .stopOf(uid)
            .filter(s -> !s.instanceGone() && !s.podRemoved() && s.requestedBefore() <= thisPoll);
    if (followed.isEmpty()) {
      return;
    }
    Stop stop = followed.get();
    Stop next = stop.seen(presentInstances.contains(stop.instanceId()));
    if (known.replaceStop(uid, stop, next) && next.instanceGone()) {
      removals.enqueue(PodFields.key(pod));
    }
  }

  /**
   * The handler of the {@code deletePodsFromKubernetes} queue: a deleted pod whose instance has
   * stopped, or whose grace period is over, or that had none, gets phase Failed (unless final) and
   * is removed with grace 0 after checking its UID.
   */
  Outcome deletePodsFromKubernetes(String key) {
    Optional<Pod> cached = store.cached(key);
    if (cached.isEmpty() || !mayWrite.getAsBoolean() || !PodFields.isDeleting(cached.get())) {
      return Outcome.done();
    }
    Pod pod = cached.get();
    String uid = PodFields.uid(pod);
    Optional<Stop> stop = known.stopOf(uid);
    // Without a stop the sync queue has not yet stopped the instance or proved there is none.
    boolean stopped =
        stop.filter(s -> s.instanceGone() || s.graceOver(clock.instant())).isPresent();
    if (!stopped || stop.get().podRemoved()) {
      return Outcome.done();
    }
    known.forgetInstance(uid);
    Optional<Pod> current =
        store.read(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    if (current.isPresent() && uid.equals(PodFields.uid(current.get()))) {
      if (!PodFields.isFinal(current.get())) {
        failures.showStopped(current.get());
      }
      store.remove(pod);
    }
    known.removed(uid);
    return Outcome.done();
  }

  /** Hands the pod to the removals once its deletion's grace period is over. */
  private void removeWhenGraceIsOver(Pod pod, Stop stop) {
    Duration left = Duration.between(clock.instant(), stop.graceEnds());
    String key = PodFields.key(pod);
    later.after(
        left.isNegative() ? Duration.ZERO : left.plusMillis(50), () -> removals.enqueue(key));
  }

  /**
   * When a deleted pod stops waiting for its instance: its grace period counted from now, as the
   * kubelet counts it from when it sees the deletion. The API server's deletionTimestamp is the
   * same moment on the API server's clock, in whole seconds (up to a second early), and an engine
   * whose clock runs ahead would cut the grace short.
   */
  private Instant graceEnds(Pod pod) {
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds != null) {
      return clock.instant().plusSeconds(Math.max(0, seconds));
    }
    String deadline = pod.getMetadata().getDeletionTimestamp();
    return deadline == null ? clock.instant() : Instant.parse(deadline);
  }
}
