package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.threads.KeyedQueue.Outcome;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code syncPodStatusFromProvider}: one cheap status read of the cluster's instances (a call per
 * 200), then a full describe of only those that changed or are not yet tied to a pod (a call per 20
 * of them), then each pod reconciled with what was read: its status handed to the {@code
 * updatePodStatus} queue, a stock-out moved to the next zone, a vanished instance failing its pod,
 * a deleted pod's stop followed, and the instances no pod needs collected.
 */
final class StatusPoll {

  private static final Logger LOG = LoggerFactory.getLogger(StatusPoll.class);

  /** Ids per DescribeContainerGroups call, ECI's maximum. */
  static final int DESCRIBE_PAGE = 20;

  /** An instance as one poll saw it, and the fingerprint of its status read. */
  record Observation(Instance instance, String fingerprint) {}

  /** What the status read found: every instance's fingerprint, and those to describe. */
  private record Read(Map<String, String> fingerprints, List<String> changed) {
    Set<String> present() {
      return fingerprints.keySet();
    }
  }

  /** What the describes found, by instance id and by the pod UID it is tagged with. */
  private record Described(
      Map<String, Instance> byId, Map<String, Instance> byPodUid, Set<String> writtenPods) {}

  /** The node's pods as the poll reconciled them, and the instances they run as. */
  private record Live(Set<String> pods, Set<String> instances) {}

  private final KnownPods known;
  private final PodStore store;
  private final ContainerInstances eci;
  private final String clusterId;
  private final BooleanSupplier mayWrite;
  private final ZoneFailover zones;
  private final OrphanCollector orphans;
  private final PodDeletion deletion;
  private final PodFailures failures;
  private final PodQueue statusWrites;
  private final RepeatedFailure log;

  /**
   * @param statusWrites the {@code updatePodStatus} queue, whose handler is {@link
   *     #updatePodStatus}
   */
  StatusPoll(
      KnownPods known,
      PodStore store,
      ContainerInstances eci,
      String clusterId,
      BooleanSupplier mayWrite,
      ZoneFailover zones,
      OrphanCollector orphans,
      PodDeletion deletion,
      PodFailures failures,
      PodQueue statusWrites) {
    this.known = known;
    this.store = store;
    this.eci = eci;
    this.clusterId = clusterId;
    this.mayWrite = mayWrite;
    this.zones = zones;
    this.orphans = orphans;
    this.deletion = deletion;
    this.failures = failures;
    this.statusWrites = statusWrites;
    this.log = new RepeatedFailure(LOG, "status poll of cluster " + clusterId);
  }

  /** One poll, its ECI outcome told to {@code health}; never throws, logs only a change. */
  void poll(PodController.Health health) {
    try {
      syncPodStatusFromProvider();
      health.eci(Optional.empty());
      log.succeeded();
    } catch (EciException e) {
      log.failed(e);
      health.eci(Optional.of(e));
    } catch (RuntimeException e) {
      log.failed(e);
    }
  }

  void syncPodStatusFromProvider() {
    if (!store.synced() || !mayWrite.getAsBoolean()) {
      return;
    }
    // Only pods known before the read can miss from it: a create that finishes meanwhile is not
    // gone.
    Map<String, String> knownBefore = known.instancesByPod();
    long thisPoll = known.startPoll();
    Read read = readStates();
    Described described = describeChanged(read);
    Live live = reconcileEach(read, described, knownBefore, thisPoll);
    // Every instance described here was in the status read, so its pod, if any, was in the cache
    // before the loop above listed it.
    orphans.collect(described.byId().values(), read.present(), live.pods(), live.instances());
    known.forgetStopsExcept(live.pods());
  }

  private Read readStates() {
    Set<String> tiedToPods = known.instancesOfPods();
    Map<String, String> fingerprints = new HashMap<>();
    List<String> changed = new ArrayList<>();
    for (InstanceState state : eci.statusByTag(InstanceTags.CLUSTER, clusterId)) {
      fingerprints.put(state.id(), state.fingerprint());
      if (!tiedToPods.contains(state.id()) || !known.shows(state)) {
        changed.add(state.id());
      }
    }
    known.forgetShownExcept(fingerprints.keySet());
    return new Read(fingerprints, changed);
  }

  /**
   * Describes the changed instances a page at a time. A pod whose instance is known is handed to
   * the status writes as soon as its page is described, not after the last page: with 200 changes
   * that is ten calls earlier.
   */
  private Described describeChanged(Read read) {
    Map<String, Pod> podByKnownInstance = new HashMap<>();
    for (Pod pod : store.cachedPods()) {
      Optional<String> id = known.instanceOf(PodFields.uid(pod));
      if (id.isPresent() && !PodFields.isDeleting(pod) && !PodFields.isFinal(pod)) {
        podByKnownInstance.put(id.get(), pod);
      }
    }
    Described described = new Described(new HashMap<>(), new HashMap<>(), new HashSet<>());
    List<String> changed = read.changed();
    for (int i = 0; i < changed.size(); i += DESCRIBE_PAGE) {
      for (Instance instance :
          eci.describeByIds(changed.subList(i, Math.min(changed.size(), i + DESCRIBE_PAGE)))) {
        described.byId().put(instance.id(), instance);
        String podUid = instance.tags().get(InstanceTags.POD_UID);
        if (podUid != null) {
          described.byPodUid().merge(podUid, instance, StatusPoll::newer);
        }
        Pod pod = podByKnownInstance.get(instance.id());
        if (pod != null && !ZoneFailover.isStockOut(instance)) {
          requestStatusWrite(pod, instance, read.fingerprints().get(instance.id()));
          described.writtenPods().add(PodFields.uid(pod));
        }
      }
    }
    return described;
  }

  private Live reconcileEach(
      Read read, Described described, Map<String, String> knownBefore, long thisPoll) {
    Live live = new Live(new HashSet<>(), new HashSet<>());
    for (Pod pod : store.cachedPods()) {
      String uid = PodFields.uid(pod);
      live.pods().add(uid);
      String recorded = known.instanceOrRecorded(pod);
      boolean recordedExists = recorded != null && read.present().contains(recorded);
      Instance instance =
          recorded != null ? described.byId().get(recorded) : described.byPodUid().get(uid);
      if (recordedExists) {
        live.instances().add(recorded);
      }
      if (instance != null) {
        live.instances().add(instance.id());
      }
      if (PodFields.isDeleting(pod)) {
        deletion.followStop(pod, read.present(), thisPoll);
      } else if (!PodFields.isFinal(pod)) {
        reconcile(pod, instance, recordedExists, knownBefore, read, described);
      }
    }
    return live;
  }

  /** One live pod against what the poll read of its instance. */
  private void reconcile(
      Pod pod,
      Instance instance,
      boolean recordedExists,
      Map<String, String> knownBefore,
      Read read,
      Described described) {
    String uid = PodFields.uid(pod);
    if (recordedExists || instance != null) {
      known.found(uid);
    }
    if (instance != null) {
      known.runsAs(uid, instance.id());
      if (ZoneFailover.isStockOut(instance)) {
        zones.moveToNextZone(pod, instance);
      } else if (!described.writtenPods().contains(uid)) {
        requestStatusWrite(pod, instance, read.fingerprints().get(instance.id()));
      }
    } else if (!recordedExists
        && knownBefore.containsKey(uid)
        && knownBefore.get(uid).equals(known.instanceOf(uid).orElse(null))
        && known.missedAndGone(uid)) {
      known.forgetInstance(uid);
      failures.fail(
          pod,
          "InstanceGone",
          "The pod's ECI instance no longer exists (deleted outside Kubernetes or reclaimed)");
    }
  }

  /** Of two instances made for one pod, the later one is the pod's. */
  private static Instance newer(Instance a, Instance b) {
    return a.createdAt() != null && b.createdAt() != null && b.createdAt().isAfter(a.createdAt())
        ? b
        : a;
  }

  /**
   * Hands a changed status to the status queue, so that a poll finding many changes does not write
   * them one by one before the next poll; the latest observation of a pod wins. Once the pod shows
   * what the instance reports, the instance's fingerprint is remembered and it is not described
   * again until it changes.
   */
  private void requestStatusWrite(Pod pod, Instance instance, String fingerprint) {
    if (StatusDiff.shows(pod, instance)) {
      known.shown(instance.id(), fingerprint);
      return;
    }
    String key = PodFields.key(pod);
    known.observe(key, new Observation(instance, fingerprint));
    statusWrites.enqueue(key);
  }

  /**
   * The handler of the {@code updatePodStatus} queue: writes the pod's latest observation, unless
   * it went stale in the queue (the pod moved to another instance in a zone failover, or is a new
   * pod of the same name).
   */
  Outcome updatePodStatus(String key) {
    Optional<Observation> observation = known.takeObservation(key);
    Optional<Pod> cached = store.cached(key);
    if (observation.isEmpty()
        || cached.isEmpty()
        || !mayWrite.getAsBoolean()
        || PodFields.isDeleting(cached.get())) {
      return Outcome.done();
    }
    Pod pod = cached.get();
    Instance instance = observation.get().instance();
    String podUid = instance.tags().get(InstanceTags.POD_UID);
    if ((podUid != null && !podUid.equals(PodFields.uid(pod)))
        || !known.instanceOf(PodFields.uid(pod)).filter(instance.id()::equals).isPresent()) {
      return Outcome.done();
    }
    if (write(pod, instance)) {
      known.shown(instance.id(), observation.get().fingerprint());
    }
    return Outcome.done();
  }

  /** Writes what the pod lacks of the instance's state; true when the pod now shows all of it. */
  private boolean write(Pod pod, Instance instance) {
    try {
      Map<String, String> annotations = StatusDiff.annotations(pod, instance);
      Optional<PodStatus> status = StatusDiff.status(pod, instance);
      if (!annotations.isEmpty() || status.isPresent()) {
        store.writeStatus(pod, annotations, status.orElse(null));
      }
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug(
          "status of pod {}/{} not updated: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.getMessage());
      return false;
    }
  }
}
