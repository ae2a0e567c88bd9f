package io.eci.vnode.engine.selection;

import io.eci.vnode.engine.threads.KeyedQueue;
import io.eci.vnode.engine.threads.Lane;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds selected pods that are still unscheduled to the virtual node through the Binding
 * subresource, so clusters without the admission webhook (and without a scheduler that honours its
 * steering) still send the pods to ECI. A pod another scheduler binds first is simply no longer
 * unscheduled. A pod the webhook steered (it tolerates the node's taint and selects virtual nodes)
 * is the scheduler's for {@link #SCHEDULER_FIRST}: the scheduler also weighs the pod's affinity,
 * spread and quota, so the binder only takes over when no scheduler did. Informer callbacks only
 * enqueue the pod's key; the binding happens on the engine's own threads.
 */
public final class Binder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);

  /** How long a steered pod is left to the cluster's scheduler before the binder binds it. */
  public static final Duration SCHEDULER_FIRST = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final String nodeName;
  private final Supplier<EciProfile> profile;
  private final BooleanSupplier mayWrite;
  private final Lane lane;
  private final String clusterId;
  private final Clock clock;
  private SharedIndexInformer<Pod> unscheduled;
  private Consumer<String> enqueue;

  /**
   * @param lane where the bindings run, one keyed queue of pods on it
   */
  public Binder(
      KubernetesClient client,
      String nodeName,
      String clusterId,
      Supplier<EciProfile> profile,
      BooleanSupplier mayWrite,
      Lane lane,
      Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.clusterId = clusterId;
    this.profile = profile;
    this.mayWrite = mayWrite;
    this.lane = lane;
    this.clock = clock;
  }

  public void start() {
    enqueue = new KeyedQueue("bindSelectedPods", clusterId, lane, this::bindIfSelected)::enqueue;
    unscheduled = client.pods().inAnyNamespace().withField("spec.nodeName", "").runnableInformer(0);
    unscheduled.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            enqueue.accept(Cache.metaNamespaceKeyFunc(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            enqueue.accept(Cache.metaNamespaceKeyFunc(after));
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {}
        });
    // Assigned before it starts: its first events arrive on another thread at once.
    unscheduled.start().toCompletableFuture().join();
  }

  private void bindIfSelected(String key) {
    Pod pod = unscheduled.getIndexer().getByKey(key);
    if (pod == null
        || !mayWrite.getAsBoolean()
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    // the scheduler's turn first: it costs no request, the namespace's labels do
    Duration schedulersTurn = schedulersTurnLeft(pod);
    if (!schedulersTurn.isZero()) {
      lane.schedule(() -> enqueue.accept(key), schedulersTurn);
      return;
    }
    Namespace ns = client.namespaces().withName(pod.getMetadata().getNamespace()).get();
    Map<String, String> labels =
        ns == null || ns.getMetadata().getLabels() == null
            ? Map.of()
            : ns.getMetadata().getLabels();
    if (Selection.decide(pod, labels, profile.get()).isEmpty()) {
      return;
    }
    try {
      client
          .bindings()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName(pod.getMetadata().getName())
                  .withUid(pod.getMetadata().getUid())
                  .endMetadata()
                  .withNewTarget()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(nodeName)
                  .endTarget()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // 409: bound meanwhile (by us or a scheduler); 404: deleted meanwhile. Either way nothing to
      // do.
      LOG.debug("pod {} not bound: {}", key, e.getMessage());
    }
  }

  /** How much of the scheduler's turn a steered pod has left; zero for any other pod. */
  private Duration schedulersTurnLeft(Pod pod) {
    boolean tolerates =
        pod.getSpec().getTolerations().stream()
            .anyMatch(t -> AdmissionHandler.TAINT_KEY.equals(t.getKey()));
    boolean selectsVirtualNodes =
        pod.getSpec().getNodeSelector() != null
            && AdmissionHandler.NODE_TYPE.equals(
                pod.getSpec().getNodeSelector().get(AdmissionHandler.NODE_TYPE_LABEL));
    String created = pod.getMetadata().getCreationTimestamp();
    if (!tolerates || !selectsVirtualNodes || created == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), Instant.parse(created).plus(SCHEDULER_FIRST));
    return left.isNegative() ? Duration.ZERO : left;
  }

  @Override
  public void close() {
    if (unscheduled != null) {
      unscheduled.close();
    }
  }
}
