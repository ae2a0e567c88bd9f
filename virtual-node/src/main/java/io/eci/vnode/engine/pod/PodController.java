package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.status.StatusMapper;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.engine.threads.Lane;
import io.eci.vnode.engine.translate.PodTranslator;
import io.eci.vnode.engine.translate.References;
import io.eci.vnode.engine.translate.Translation;
import io.eci.vnode.engine.translate.TranslationContext;
import io.eci.vnode.engine.translate.TranslationException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Lister;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to the virtual node as ECI instances, in three directions:
 *
 * <ul>
 *   <li>{@code syncPodsFromKubernetes}: a bound pod without an instance gets one (ClientToken = pod
 *       UID, so a retry or a restarted engine never makes a second); one recorded on the pod is
 *       adopted;
 *   <li>{@code syncPodStatusFromProvider}: one DescribeContainerGroupStatus by the cluster's tag
 *       per period (a call per 200 pods, never per pod, never region-wide) finds the instances that
 *       changed; only those are described in full (a call per 20) and their pods updated; an
 *       instance that failed to schedule for lack of stock is replaced in the next vSwitch's zone;
 *       instances whose pod is gone are deleted, and pods whose instance vanished fail with a
 *       reason;
 *   <li>{@code deletePodsFromKubernetes}: a pod being deleted has its instance deleted (ECI honours
 *       the grace period it was created with) and is then removed, checked by UID.
 * </ul>
 *
 * It writes only while {@code mayWrite} says so: losing the cluster's coordination Lease stops all
 * writes.
 */
public final class PodController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodController.class);

  /** The instance a pod runs as, written once it is created. */
  public static final String INSTANCE_ANNOTATION = "k8s.aliyun.com/eci-instance-id";

  /** The zone the pod's instance landed in. */
  public static final String ZONE_ANNOTATION = "eci-vnode.io/zone";

  /** vSwitches whose zone had no stock for this pod, so later attempts skip them. */
  public static final String EXCLUDED_VSWITCHES_ANNOTATION = "eci-vnode.io/excluded-vswitches";

  private static final int POLLS_BEFORE_GONE = 2;

  /** Ids per DescribeContainerGroups call, ECI's maximum. */
  private static final int DESCRIBE_PAGE = 20;

  private final KubernetesClient client;
  private final String nodeName;
  private final String clusterId;
  private final ContainerInstances eci;
  private final TranslationContext context;
  private final Supplier<EciProfile> profile;
  private final Health health;
  private final Lane creates;
  private final Lane statusWrites;
  private final Lane eventWrites;
  private final Lane polls;
  private final Duration statusPeriod;
  private final BooleanSupplier mayWrite;
  private final PodEvents events;
  private final PodWrites writes;
  private final Map<String, String> instanceByPodUid = new ConcurrentHashMap<>();

  /** When each pod still without an instance was first seen on the node (nanoTime). */
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();

  private volatile java.util.function.Consumer<Duration> createLatency = d -> {};
  private final Map<String, Integer> missedPolls = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Service> services;
  private KeyedQueue queue;
  private KeyedQueue statusQueue;
  private final Map<String, Observation> observed = new ConcurrentHashMap<>();
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, PodRecord> deleted = new ConcurrentHashMap<>();

  /** Pods being deleted, by UID: how far their instance's stop has come. */
  private final Map<String, Stop> stops = new ConcurrentHashMap<>();

  /** Status polls started so far; a poll only tells about deletions requested before it began. */
  private final AtomicLong pollsStarted = new AtomicLong();

  /**
   * A pod's deletion as the engine follows it. Replaced, never changed.
   *
   * @param instanceId the instance asked to stop
   * @param requestedBefore the number of the first poll that began after the stop was requested
   * @param misses polls in a row, from that one on, that did not find the instance
   * @param instanceGone the instance has stopped
   * @param podRemoved the engine removed the pod (finalizers may keep it a while)
   * @param graceEnds when the pod stops waiting for its instance
   */
  private record Stop(
      String instanceId,
      long requestedBefore,
      int misses,
      boolean instanceGone,
      boolean podRemoved,
      Instant graceEnds) {

    Stop seen(boolean present) {
      int missed = present ? 0 : misses + 1;
      return new Stop(
          instanceId, requestedBefore, missed, missed >= POLLS_BEFORE_GONE, podRemoved, graceEnds);
    }

    Stop removed() {
      return new Stop(instanceId, requestedBefore, misses, instanceGone, true, graceEnds);
    }

    boolean graceOver() {
      return !Instant.now().isBefore(graceEnds);
    }

    Stop until(Instant sooner) {
      return new Stop(instanceId, requestedBefore, misses, instanceGone, podRemoved, sooner);
    }
  }

  private ScheduledFuture<?> statusLoop;

  /** What the controller tells its virtual node about the two sides it talks to. */
  public interface Health {
    /** A status poll of ECI succeeded (empty) or failed. */
    void eci(Optional<EciException> failure);

    /** The API server refused one of the controller's writes for lack of permission (403). */
    void forbidden(KubernetesClientException refusal);
  }

  public PodController(
      KubernetesClient client,
      TranslationContext context,
      ContainerInstances eci,
      EngineThreads threads,
      Duration statusPeriod,
      BooleanSupplier mayWrite,
      Supplier<EciProfile> profile,
      Health health) {
    this.client = client;
    this.health = health;
    this.nodeName = context.nodeName();
    this.clusterId = context.config().clusterId();
    this.eci = eci;
    this.context = context;
    this.profile = profile;
    // Separate lanes: status writes and events never queue in front of an instance create.
    this.creates = threads.lane("syncPodsFromKubernetes/" + clusterId, 4);
    this.statusWrites = threads.lane("syncPodStatusFromProvider/" + clusterId, 4);
    this.eventWrites = threads.lane("events/" + clusterId, 2);
    this.polls = threads.lane("poll/" + clusterId, 1);
    this.statusPeriod = statusPeriod;
    this.mayWrite = mayWrite;
    this.events = new PodEvents(client, nodeName, clusterId, eventWrites);
    this.writes = new PodWrites(client, health::forbidden);
  }

  /** Starts watching the node's pods and polling their instances. */
  public void start() {
    queue =
        new KeyedQueue("syncPodsFromKubernetes", clusterId, creates, this::syncPodsFromKubernetes);
    statusQueue =
        new KeyedQueue("syncPodStatusFromProvider", clusterId, statusWrites, this::syncPodStatus);
    pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            seen(pod);
            queue.enqueue(Cache.metaNamespaceKeyFunc(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            seen(after);
            queue.enqueue(Cache.metaNamespaceKeyFunc(after));
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {
            seenAt.remove(pod.getMetadata().getUid());
            String id = instanceByPodUid.remove(pod.getMetadata().getUid());
            deleted.put(pod.getMetadata().getUid(), record(pod, id, Instant.now()));
            stops.remove(pod.getMetadata().getUid());
          }
        });
    // For the service environment variables of new pods, as a kubelet keeps them.
    services = client.services().inAnyNamespace().runnableInformer(0);
    services.start().toCompletableFuture().join();
    // Assigned before it starts: its first events arrive on another thread at once.
    pods.start().toCompletableFuture().join();
    statusLoop = polls.scheduleEvery(this::pollSafely, statusPeriod);
  }

  private void syncPodsFromKubernetes(String key) {
    Pod pod = pods.getIndexer().getByKey(key);
    if (pod == null || !mayWrite.getAsBoolean()) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      deletePodsFromKubernetes(pod);
      return;
    }
    if (isFinal(pod) || instanceByPodUid.containsKey(pod.getMetadata().getUid())) {
      seenAt.remove(pod.getMetadata().getUid());
      return;
    }
    String recorded = annotation(pod, INSTANCE_ANNOTATION);
    if (recorded != null) {
      seenAt.remove(pod.getMetadata().getUid());
      // Created by an earlier owner: adopt it. The status poll fails the pod if the instance is
      // gone.
      instanceByPodUid.put(pod.getMetadata().getUid(), recorded);
      return;
    }
    createInstance(pod);
  }

  private void createInstance(Pod pod) {
    Translation translation;
    try {
      translation = PodTranslator.translate(pod, references(), context.with(profile.get()));
    } catch (TranslationException e) {
      if (e.kind() == TranslationException.Kind.UNSUPPORTED) {
        fail(pod, e.podReason(), String.join("; ", e.reasons()));
        return;
      }
      events.warning(pod, e.podReason(), String.join("; ", e.reasons()));
      throw e;
    }
    translation.warnings().forEach(w -> events.warning(pod, "PartlyTranslated", w));
    CreateInstance create = skipExcludedZones(pod, translation.create());
    if (create == null) {
      return;
    }
    String id;
    try {
      id = eci.create(create);
    } catch (EciException e) {
      if (e.isRetryable()) {
        throw e;
      }
      String reason = e.kind() == EciException.Kind.NO_STOCK ? "NoStock" : "ProviderFailed";
      fail(pod, reason, "ECI refused the instance: " + e.getMessage());
      return;
    }
    // The instance id is recorded on the pod with its zone by the first status write, in the same
    // request as the status. A restart before then finds the instance by its
    // pod-uid tag, and the client token makes a repeated create return the same instance.
    instanceByPodUid.put(pod.getMetadata().getUid(), id);
    Long seen = seenAt.remove(pod.getMetadata().getUid());
    if (seen != null) {
      createLatency.accept(Duration.ofNanos(System.nanoTime() - seen));
    }
    events.normal(pod, "InstanceCreated", "ECI instance " + id + " created");
  }

  /** Remembers when a pod without an instance was first seen on the node. */
  private void seen(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (!instanceByPodUid.containsKey(uid) && !isFinal(pod)) {
      seenAt.putIfAbsent(uid, System.nanoTime());
    }
  }

  /**
   * Tells {@code listener}, for each instance this controller creates, how long it took from the
   * pod's first sighting on the node to ECI's answer: the engine's queueing and translation plus
   * the create call. On the create lane's thread; it must return quickly.
   */
  public void onInstanceCreated(java.util.function.Consumer<Duration> listener) {
    this.createLatency = listener;
  }

  /**
   * The create request without the vSwitches whose zone already ran out of stock for this pod,
   * under a client token of its own (the pod's UID and the attempt), or null when no vSwitch is
   * left.
   */
  private CreateInstance skipExcludedZones(Pod pod, CreateInstance create) {
    Set<String> excluded = excludedVSwitches(pod);
    if (excluded.isEmpty()) {
      return create;
    }
    List<String> remaining =
        Arrays.stream(create.request().getVSwitchId().split(","))
            .filter(v -> !excluded.contains(v))
            .toList();
    if (remaining.isEmpty()) {
      fail(pod, "NoStock", "No zone of vSwitches " + excluded + " has ECI stock for this pod");
      return null;
    }
    create.request().setVSwitchId(String.join(",", remaining));
    return new CreateInstance(create.request(), create.clientToken() + "-" + excluded.size());
  }

  /**
   * A pod being deleted has its instance deleted, and stays Terminating while the instance stops
   * (ECI gives its containers the pod's grace period), as a kubelet keeps a pod until its
   * containers have stopped: once the status poll no longer finds the instance (twice in a row,
   * reads being eventually consistent), or at the latest when its grace period is over, the pod
   * gets a terminal phase and is removed. Finalizers may keep it after that; it is not touched
   * again.
   */
  private void deletePodsFromKubernetes(Pod pod) {
    String uid = pod.getMetadata().getUid();
    Stop stop = stops.get(uid);
    if (stop != null && stop.podRemoved()) {
      return;
    }
    String id = instanceByPodUid.getOrDefault(uid, annotation(pod, INSTANCE_ANNOTATION));
    if (id != null && (stop == null || !stop.instanceGone())) {
      if (stop == null) {
        eci.delete(id);
        events.normal(pod, "InstanceDeleted", "ECI instance " + id + " deleted");
        stop = new Stop(id, pollsStarted.get() + 1, 0, false, false, graceEnds(pod));
        stops.put(uid, stop);
        recheckWhenGraceIsOver(pod, stop);
      } else if (graceEnds(pod).isBefore(stop.graceEnds())) {
        // deleted again with a shorter grace period (kubectl delete --grace-period=1 on a
        // Terminating pod): the wait ends sooner, as a kubelet's does
        Stop shortened = stop.until(graceEnds(pod));
        if (stops.replace(uid, stop, shortened)) {
          stop = shortened;
          recheckWhenGraceIsOver(pod, stop);
        }
      }
      if (!stop.graceOver()) {
        return; // the status poll hands the pod back once the instance is gone
      }
    }
    instanceByPodUid.remove(uid);
    Pod current = pod(pod).get();
    if (current != null && uid.equals(current.getMetadata().getUid())) {
      if (!isFinal(current)) {
        // As the kubelet does: a pod that a finalizer keeps shows that it no longer runs.
        writes.status(
            current,
            new PodStatusBuilder(
                    current.getStatus() == null ? new PodStatus() : current.getStatus())
                .withPhase("Failed")
                .build());
      }
      pod(pod).withGracePeriod(0).delete();
    }
    stops.compute(
        uid, (k, s) -> (s == null ? new Stop(id, 0, 0, true, false, Instant.now()) : s).removed());
  }

  /** Hands the pod back to its queue once its deletion's grace period is over. */
  private void recheckWhenGraceIsOver(Pod pod, Stop stop) {
    Duration left = Duration.between(Instant.now(), stop.graceEnds());
    String key = Cache.metaNamespaceKeyFunc(pod);
    creates.schedule(
        () -> queue.enqueue(key), left.isNegative() ? Duration.ZERO : left.plusMillis(50));
  }

  /**
   * When a deleted pod stops waiting for its instance: its grace period counted from now, as the
   * kubelet counts it from when it sees the deletion. The API server's deletionTimestamp is the
   * same moment on the API server's clock, in whole seconds (up to a second early), and an engine
   * whose clock runs ahead would cut the grace short.
   */
  private static Instant graceEnds(Pod pod) {
    Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (seconds != null) {
      return Instant.now().plusSeconds(Math.max(0, seconds));
    }
    String deadline = pod.getMetadata().getDeletionTimestamp();
    return deadline == null ? Instant.now() : Instant.parse(deadline);
  }

  private void pollSafely() {
    try {
      syncPodStatusFromProvider();
      health.eci(Optional.empty());
    } catch (EciException e) {
      LOG.warn("status poll of cluster {} failed: {}", clusterId, e.toString());
      health.eci(Optional.of(e));
    } catch (RuntimeException e) {
      LOG.warn("status poll of cluster {} failed: {}", clusterId, e.toString());
    }
  }

  /** How long a deleted pod stays in {@link #podRecords()}, for a host to record its deletion. */
  public static final Duration DELETED_KEPT = Duration.ofMinutes(10);

  /**
   * A pod of the node and the instance it runs as.
   *
   * @param instanceId empty until the instance is known
   * @param zone empty until ECI has placed the instance
   * @param phase Pending, Running, Succeeded or Failed
   * @param deletedAt when the pod left the cluster, for a deleted one
   */
  public record PodRecord(
      String uid,
      String namespace,
      String name,
      Optional<String> instanceId,
      Optional<String> zone,
      String phase,
      Instant createdAt,
      Optional<Instant> deletedAt) {}

  /** The node's pods from the informer's cache, and the ones deleted lately. */
  public List<PodRecord> podRecords() {
    if (pods == null) {
      return List.of();
    }
    Instant forgetBefore = Instant.now().minus(DELETED_KEPT);
    deleted.values().removeIf(r -> r.deletedAt().orElseThrow().isBefore(forgetBefore));
    List<PodRecord> records = new ArrayList<>(deleted.values());
    for (Pod pod : pods.getStore().list()) {
      records.add(record(pod, instanceByPodUid.get(pod.getMetadata().getUid()), null));
    }
    return records;
  }

  private static PodRecord record(Pod pod, String knownInstance, Instant deletedAt) {
    var meta = pod.getMetadata();
    String instance = knownInstance != null ? knownInstance : annotation(pod, INSTANCE_ANNOTATION);
    Instant created =
        meta.getCreationTimestamp() == null
            ? Instant.now()
            : Instant.parse(meta.getCreationTimestamp());
    return new PodRecord(
        meta.getUid(),
        meta.getNamespace(),
        meta.getName(),
        Optional.ofNullable(instance),
        Optional.ofNullable(annotation(pod, ZONE_ANNOTATION)),
        phaseOf(pod),
        created,
        Optional.ofNullable(deletedAt));
  }

  /** The pod's phase; one that has none yet is Pending. */
  private static String phaseOf(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  /** Pods of the node by phase, from the informer's cache. */
  public Map<String, Long> podsByPhase() {
    if (pods == null) {
      return Map.of();
    }
    return pods.getStore().list().stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                PodController::phaseOf,
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }

  /**
   * One cheap status read of the cluster's instances (a call per 200), then a full describe of only
   * those that changed or are not yet tied to a pod (a call per 20 of them), then every changed
   * pod's status from it. A pod whose instance is known is handed to the status writes as soon as
   * its page is described, not after the last page: with 200 changes that is ten calls earlier.
   */
  void syncPodStatusFromProvider() {
    if (pods == null || !pods.hasSynced() || !mayWrite.getAsBoolean()) {
      return;
    }
    // Only pods known before the read can miss from it: a create that finishes meanwhile is not
    // gone.
    Map<String, String> knownBefore = Map.copyOf(instanceByPodUid);
    long thisPoll = pollsStarted.incrementAndGet();
    List<InstanceState> states = eci.statusByTag(InstanceTags.CLUSTER, clusterId);
    Set<String> present = new HashSet<>();
    Set<String> tiedToPods = new HashSet<>(instanceByPodUid.values());
    List<String> changed = new ArrayList<>();
    Map<String, String> fingerprintById = new HashMap<>();
    for (InstanceState state : states) {
      present.add(state.id());
      fingerprintById.put(state.id(), state.fingerprint());
      if (!tiedToPods.contains(state.id())
          || !state.fingerprint().equals(lastSeen.get(state.id()))) {
        changed.add(state.id());
      }
    }
    lastSeen.keySet().retainAll(present);
    Map<String, Pod> podByKnownInstance = new HashMap<>();
    for (Pod pod : pods.getStore().list()) {
      String known = instanceByPodUid.get(pod.getMetadata().getUid());
      if (known != null && pod.getMetadata().getDeletionTimestamp() == null && !isFinal(pod)) {
        podByKnownInstance.put(known, pod);
      }
    }
    Set<String> written = new HashSet<>();
    Map<String, Instance> byId = new HashMap<>();
    Map<String, Instance> byPodUid = new HashMap<>();
    for (int i = 0; i < changed.size(); i += DESCRIBE_PAGE) {
      for (Instance instance :
          eci.describeByIds(changed.subList(i, Math.min(changed.size(), i + DESCRIBE_PAGE)))) {
        byId.put(instance.id(), instance);
        String podUid = instance.tags().get(InstanceTags.POD_UID);
        if (podUid != null) {
          byPodUid.merge(podUid, instance, PodController::newer);
        }
        Pod pod = podByKnownInstance.get(instance.id());
        if (pod != null && !isStockOut(instance)) {
          requestStatusWrite(pod, instance, fingerprintById.get(instance.id()));
          written.add(pod.getMetadata().getUid());
        }
      }
    }
    Set<String> instancesOfLivePods = new HashSet<>();
    Set<String> livePods = new HashSet<>();
    for (Pod pod : pods.getStore().list()) {
      String uid = pod.getMetadata().getUid();
      livePods.add(uid);
      String recorded = instanceByPodUid.getOrDefault(uid, annotation(pod, INSTANCE_ANNOTATION));
      boolean recordedExists = recorded != null && present.contains(recorded);
      Instance instance = recorded != null ? byId.get(recorded) : byPodUid.get(uid);
      if (recordedExists) {
        instancesOfLivePods.add(recorded);
      }
      if (instance != null) {
        instancesOfLivePods.add(instance.id());
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        followStop(pod, present, thisPoll);
        continue;
      }
      if (isFinal(pod)) {
        continue;
      }
      if (recordedExists || instance != null) {
        missedPolls.remove(uid);
      }
      if (instance != null) {
        instanceByPodUid.put(uid, instance.id());
        if (isStockOut(instance)) {
          moveToNextZone(pod, instance);
        } else if (!written.contains(uid)) {
          requestStatusWrite(pod, instance, fingerprintById.get(instance.id()));
        }
      } else if (!recordedExists
          && knownBefore.containsKey(uid)
          && knownBefore.get(uid).equals(instanceByPodUid.get(uid))
          && missedPolls.merge(uid, 1, Integer::sum) >= POLLS_BEFORE_GONE) {
        // Reads are eventually consistent: an instance must be missing twice in a row to be gone.
        missedPolls.remove(uid);
        instanceByPodUid.remove(uid);
        fail(
            pod,
            "InstanceGone",
            "The pod's ECI instance no longer exists (deleted outside Kubernetes or reclaimed)");
      }
    }
    // Every instance described here was in the status read, so its pod, if any, was in the cache
    // before the loop above listed it.
    collectOrphans(byId.values(), livePods, instancesOfLivePods);
    stops.keySet().retainAll(livePods);
  }

  /** Notes whether a deleted pod's instance is still there; hands the pod back once it is gone. */
  private void followStop(Pod pod, Set<String> present, long thisPoll) {
    String uid = pod.getMetadata().getUid();
    Stop stop = stops.get(uid);
    if (stop == null
        || stop.instanceGone()
        || stop.podRemoved()
        || stop.requestedBefore() > thisPoll) {
      return;
    }
    Stop next = stop.seen(present.contains(stop.instanceId()));
    if (stops.replace(uid, stop, next) && next.instanceGone()) {
      queue.enqueue(Cache.metaNamespaceKeyFunc(pod));
    }
  }

  /** Of two instances made for one pod, the later one is the pod's. */
  private static Instance newer(Instance a, Instance b) {
    return a.createdAt() != null && b.createdAt() != null && b.createdAt().isAfter(a.createdAt())
        ? b
        : a;
  }

  private static boolean isStockOut(Instance instance) {
    return instance.status().filter(s -> s == EciStatus.SCHEDULE_FAILED).isPresent()
        && instance.events().stream().anyMatch(e -> "NoStock".equals(e.reason()));
  }

  /** An instance that found no stock is replaced by one in the next vSwitch's zone. */
  private void moveToNextZone(Pod pod, Instance failed) {
    Set<String> excluded = excludedVSwitches(pod);
    excluded.add(failed.vSwitchId());
    events.warning(
        pod,
        "NoStock",
        "Zone " + failed.zoneId() + " has no ECI stock; trying the next vSwitch's zone");
    eci.delete(failed.id());
    instanceByPodUid.remove(pod.getMetadata().getUid());
    Map<String, String> annotations = new HashMap<>();
    annotations.put(INSTANCE_ANNOTATION, null);
    annotations.put(EXCLUDED_VSWITCHES_ANNOTATION, String.join(",", excluded));
    writes.annotate(pod, annotations);
  }

  /**
   * Instances tagged with this cluster and node whose pod no longer exists are deleted (unless
   * already stopping: a deleted pod's instance may outlast the pod's grace period); no other ever
   * is.
   */
  private void collectOrphans(
      Collection<Instance> instances, Set<String> livePods, Set<String> instancesOfLivePods) {
    for (Instance instance : instances) {
      boolean ours =
          clusterId.equals(instance.tags().get(InstanceTags.CLUSTER))
              && nodeName.equals(instance.tags().get(InstanceTags.NODE));
      boolean podGone = !livePods.contains(instance.tags().get(InstanceTags.POD_UID));
      boolean replaced =
          !podGone
              && !instancesOfLivePods.contains(instance.id())
              && instance.status().filter(EciStatus::isFinal).isPresent();
      boolean stopping = instance.status().filter(st -> st == EciStatus.TERMINATING).isPresent();
      if (ours && !stopping && (podGone || replaced)) {
        LOG.info(
            "deleting instance {} of pod uid {}: {}",
            instance.id(),
            instance.tags().get(InstanceTags.POD_UID),
            podGone ? "its pod is gone" : "it was replaced");
        eci.delete(instance.id());
      }
    }
  }

  /**
   * Hands a changed status to the status queue, so that a poll finding many changes does not write
   * them one by one before the next poll; the latest observation of a pod wins. Once the pod shows
   * what the instance reports, the instance's fingerprint is remembered and it is not described
   * again until it changes.
   */
  private void requestStatusWrite(Pod pod, Instance instance, String fingerprint) {
    if (annotationsFor(pod, instance).isEmpty() && !statusChanged(pod, instance)) {
      if (fingerprint != null) {
        lastSeen.put(instance.id(), fingerprint);
      }
      return;
    }
    String key = Cache.metaNamespaceKeyFunc(pod);
    observed.put(key, new Observation(instance, fingerprint));
    statusQueue.enqueue(key);
  }

  /** An instance as one poll saw it, and the fingerprint of its status read. */
  private record Observation(Instance instance, String fingerprint) {}

  private void syncPodStatus(String key) {
    Observation observation = observed.remove(key);
    Pod pod = pods.getIndexer().getByKey(key);
    if (observation == null
        || pod == null
        || !mayWrite.getAsBoolean()
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    // An observation that waited in the queue may be stale: the pod moved to another instance (a
    // zone failover) or is a new pod of the same name.
    Instance instance = observation.instance();
    String podUid = instance.tags().get(InstanceTags.POD_UID);
    if ((podUid != null && !podUid.equals(pod.getMetadata().getUid()))
        || !instance.id().equals(instanceByPodUid.get(pod.getMetadata().getUid()))) {
      return;
    }
    if (updateStatus(pod, observation.instance()) && observation.fingerprint() != null) {
      lastSeen.put(observation.instance().id(), observation.fingerprint());
    }
  }

  /**
   * The annotations the pod lacks: the instance it runs as and the zone it landed in, recorded
   * together in one write once ECI has placed it.
   */
  private static Map<String, String> annotationsFor(Pod pod, Instance instance) {
    Map<String, String> missing = new HashMap<>();
    if (!instance.id().equals(annotation(pod, INSTANCE_ANNOTATION))) {
      missing.put(INSTANCE_ANNOTATION, instance.id());
    }
    if (!instance.zoneId().isEmpty()
        && !instance.zoneId().equals(annotation(pod, ZONE_ANNOTATION))) {
      missing.put(ZONE_ANNOTATION, instance.zoneId());
    }
    return missing;
  }

  private static boolean statusChanged(Pod pod, Instance instance) {
    return !Objects.equals(
        fingerprint(pod.getStatus()), fingerprint(StatusMapper.podStatus(instance)));
  }

  /** Writes what the pod lacks of the instance's state; true when the pod now shows all of it. */
  private boolean updateStatus(Pod pod, Instance instance) {
    try {
      Map<String, String> annotations = annotationsFor(pod, instance);
      PodStatus changed =
          statusChanged(pod, instance)
              ? new PodStatusBuilder(StatusMapper.podStatus(instance))
                  .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
                  .build()
              : null;
      if (!annotations.isEmpty() || changed != null) {
        writes.status(pod, annotations, changed);
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

  private void fail(Pod pod, String reason, String message) {
    events.warning(pod, reason, message);
    PodStatus failed =
        new PodStatusBuilder(pod.getStatus() == null ? new PodStatus() : pod.getStatus())
            .withPhase("Failed")
            .withReason(reason)
            .withMessage(message)
            .build();
    writes.status(pod, failed);
  }

  private PodResource pod(Pod pod) {
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName());
  }

  private static Set<String> excludedVSwitches(Pod pod) {
    String value = annotation(pod, EXCLUDED_VSWITCHES_ANNOTATION);
    Set<String> excluded = new LinkedHashSet<>();
    if (value != null) {
      Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(excluded::add);
    }
    return excluded;
  }

  private static String annotation(Pod pod, String key) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static boolean isFinal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** What of a status is worth a write: phase, address, reason, and each container's state. */
  private static String fingerprint(PodStatus s) {
    if (s == null) {
      return "";
    }
    StringBuilder f =
        new StringBuilder()
            .append(s.getPhase())
            .append('|')
            .append(s.getPodIP())
            .append('|')
            .append(s.getReason());
    s.getContainerStatuses()
        .forEach(
            c ->
                f.append('|')
                    .append(c.getName())
                    .append(':')
                    .append(c.getReady())
                    .append(':')
                    .append(c.getRestartCount())
                    .append(':')
                    .append(c.getState()));
    return f.toString();
  }

  private References references() {
    return new References() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
      }

      @Override
      public List<Service> services(String namespace) {
        return new Lister<>(services.getIndexer(), namespace).list();
      }
    };
  }

  @Override
  public void close() {
    if (statusLoop != null) {
      statusLoop.cancel(false);
    }
    if (pods != null) {
      pods.close();
    }
    if (services != null) {
      services.close();
    }
    creates.close();
    statusWrites.close();
    eventWrites.close();
    polls.close();
  }
}
