package io.eci.vnode.engine.selection;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds selected pods that are still unscheduled to the virtual node through the Binding
 * subresource, so clusters without the admission webhook (and without a scheduler that honours its
 * steering) still send the pods to ECI. A pod another scheduler binds first is simply no longer
 * unscheduled. Informer callbacks only enqueue the pod's key; the binding happens on the engine's
 * own threads.
 */
public final class Binder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Supplier<EciProfile> profile;
  private final BooleanSupplier mayWrite;
  private final Function<Consumer<String>, Consumer<String>> queueFactory;
  private SharedIndexInformer<Pod> unscheduled;
  private Consumer<String> enqueue;

  /**
   * @param queueFactory makes a keyed work queue around a handler and returns its enqueue function
   */
  public Binder(
      KubernetesClient client,
      String nodeName,
      Supplier<EciProfile> profile,
      BooleanSupplier mayWrite,
      Function<Consumer<String>, Consumer<String>> queueFactory) {
    this.client = client;
    this.nodeName = nodeName;
    this.profile = profile;
    this.mayWrite = mayWrite;
    this.queueFactory = queueFactory;
  }

  public void start() {
    enqueue = queueFactory.apply(this::bindIfSelected);
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

  @Override
  public void close() {
    if (unscheduled != null) {
      unscheduled.close();
    }
  }
}
