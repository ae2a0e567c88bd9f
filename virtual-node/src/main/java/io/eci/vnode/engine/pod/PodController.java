package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.engine.threads.KeyedQueue;
import io.eci.vnode.engine.threads.Lane;
import io.eci.vnode.engine.translate.TranslationContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs the pods bound to the virtual node as ECI instances. This class holds the informers and
 * wires the directions, each a class of its own around one {@link KnownPods}:
 *
 * <ul>
 *   <li>{@link PodSync} ({@code syncPodsFromKubernetes}): creates and adopts instances;
 *   <li>{@link StatusPoll} ({@code syncPodStatusFromProvider}, then {@code updatePodStatus}):
 *       writes what changed in ECI onto the pods, with {@link ZoneFailover} and {@link
 *       OrphanCollector};
 *   <li>{@link PodDeletion} ({@code deletePodsFromKubernetes}): stops a deleted pod's instance,
 *       then removes the pod.
 * </ul>
 *
 * It writes only while {@link Config#mayWrite()} says so: losing the cluster's coordination Lease
 * stops all writes.
 */
public final class PodController implements AutoCloseable {

  /** The instance a pod runs as, written once it is created. */
  public static final String INSTANCE_ANNOTATION = "k8s.aliyun.com/eci-instance-id";

  /** The zone the pod's instance landed in. */
  public static final String ZONE_ANNOTATION = "eci-vnode.io/zone";

  /** vSwitches whose zone had no stock for this pod, so later attempts skip them. */
  public static final String EXCLUDED_VSWITCHES_ANNOTATION = "eci-vnode.io/excluded-vswitches";

  /** How long a deleted pod stays in {@link #podRecords()}, for a host to record its deletion. */
  public static final Duration DELETED_KEPT = Duration.ofMinutes(10);

  /** What the controller tells its virtual node about the two sides it talks to. */
  public interface Health {
    /** A status poll of ECI succeeded (empty) or failed. */
    void eci(Optional<EciException> failure);

    /** The API server refused one of the controller's writes for lack of permission (403). */
    void forbidden(KubernetesClientException refusal);
  }

  /**
   * Everything a pod controller is made of.
   *
   * @param client the cluster's API server, for the informers, the pod writes and the Events
   * @param context the node's name and configuration (cluster id, vSwitches...), for translation
   * @param eci the provider port, every call already rate-limited and retried as the host wants
   * @param threads the host's shared workers; the controller takes lanes of them, never threads
   * @param statusPeriod how often the instances' status is read (one batched read per period)
   * @param mayWrite whether the engine holds the cluster's ownership Lease; nothing is written to
   *     the cluster or ECI while it is false
   * @param profile the cluster's eci-profile as of now (vSwitch, security group overrides)
   * @param health told of every poll's ECI outcome and every write refused for lack of permission
   */
  public record Config(
      KubernetesClient client,
      TranslationContext context,
      ContainerInstances eci,
      EngineThreads threads,
      Duration statusPeriod,
      BooleanSupplier mayWrite,
      Supplier<EciProfile> profile,
      Health health) {}

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

  private final Config config;
  private final KnownPods known = new KnownPods();
  private final SharedIndexInformer<Pod> podInformer;
  private final SharedIndexInformer<Service> services;
  private final PodStore store;
  private final Lanes lanes;
  private final KeyedQueue syncQueue;
  private final KeyedQueue statusQueue;
  private final KeyedQueue deletionQueue;
  private final StatusPoll poll;
  private volatile Consumer<Duration> createLatency = d -> {};
  private ScheduledFuture<?> statusLoop;

  /** The controller's lanes: separate, so status writes and Events never delay a create. */
  private record Lanes(Lane creates, Lane deletions, Lane statusWrites, Lane events, Lane polls) {
    static Lanes of(EngineThreads threads, String clusterId) {
      return new Lanes(
          threads.lane("syncPodsFromKubernetes/" + clusterId, 4),
          threads.lane("deletePodsFromKubernetes/" + clusterId, 2),
          threads.lane("updatePodStatus/" + clusterId, 4),
          threads.lane("events/" + clusterId, 2),
          threads.lane("syncPodStatusFromProvider/" + clusterId, 1));
    }

    void close() {
      List.of(creates, deletions, statusWrites, events, polls).forEach(Lane::close);
    }
  }

  public PodController(Config config) {
    this.config = config;
    KubernetesClient client = config.client();
    String nodeName = config.context().nodeName();
    String clusterId = config.context().config().clusterId();
    this.lanes = Lanes.of(config.threads(), clusterId);
    this.podInformer =
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
    // For the service environment variables of new pods, as a kubelet keeps them.
    this.services = client.services().inAnyNamespace().runnableInformer(0);
    this.store =
        new InformedPodStore(
            client, podInformer, new PodWrites(client, config.health()::forbidden));
    PodDirections.Ports ports =
        new PodDirections.Ports(
            store,
            new InformedReferences(client, services),
            new PodEvents(client, nodeName, clusterId, lanes.events()),
            config.eci(),
            Clock.systemUTC(),
            (delay, task) -> lanes.deletions().schedule(task, delay));
    PodDirections directions =
        new PodDirections(
            known,
            ports,
            new PodDirections.Queues(this::deletionQueue, this::statusQueue),
            config.context(),
            config.profile(),
            config.mayWrite(),
            latency -> createLatency.accept(latency));
    this.poll = directions.poll;
    this.syncQueue =
        new KeyedQueue(
            "syncPodsFromKubernetes",
            clusterId,
            lanes.creates(),
            directions.sync::syncPodsFromKubernetes);
    this.deletionQueue =
        new KeyedQueue(
            "deletePodsFromKubernetes",
            clusterId,
            lanes.deletions(),
            directions.deletion::deletePodsFromKubernetes);
    this.statusQueue =
        new KeyedQueue("updatePodStatus", clusterId, lanes.statusWrites(), poll::updatePodStatus);
  }

  // The directions hand keys to queues made after them, from their handlers: reached when used.
  private PodQueue deletionQueue() {
    return deletionQueue::enqueue;
  }

  private PodQueue statusQueue() {
    return statusQueue::enqueue;
  }

  /** Starts watching the node's pods and polling their instances. */
  public void start() {
    podInformer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            known.sighted(pod);
            syncQueue.enqueue(PodFields.key(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            known.sighted(after);
            syncQueue.enqueue(PodFields.key(after));
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {
            known.departed(pod, Instant.now());
          }
        });
    services.start().toCompletableFuture().join();
    // Assigned before it starts: its first events arrive on another thread at once.
    podInformer.start().toCompletableFuture().join();
    statusLoop =
        lanes.polls().scheduleEvery(() -> poll.poll(config.health()), config.statusPeriod());
  }

  /**
   * Tells {@code listener}, for each instance this controller creates, how long it took from the
   * pod's first sighting on the node to ECI's answer: the engine's queueing and translation plus
   * the create call. On the create lane's thread; it must return quickly.
   */
  public void onInstanceCreated(Consumer<Duration> listener) {
    this.createLatency = listener;
  }

  /** The node's pods from the informer's cache, and the ones deleted lately. */
  public List<PodRecord> podRecords() {
    return known.records(store.cachedPods(), Instant.now().minus(DELETED_KEPT));
  }

  /** Pods of the node by phase, from the informer's cache. */
  public Map<String, Long> podsByPhase() {
    return store.cachedPods().stream()
        .collect(
            Collectors.groupingBy(
                pod -> PodFields.phase(pod).wire(), TreeMap::new, Collectors.counting()));
  }

  @Override
  public void close() {
    if (statusLoop != null) {
      statusLoop.cancel(false);
    }
    podInformer.close();
    services.close();
    lanes.close();
  }
}
