package io.eci.vnode.engine.selection;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds selected pods that are still unscheduled to the virtual node through the Binding
 * subresource, so clusters without the admission webhook (and without a scheduler that honours its
 * steering) still send the pods to ECI. A pod another scheduler binds first is simply no longer
 * unscheduled.
 */
public final class Binder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final Supplier<EciProfile> profile;
  private final BooleanSupplier mayWrite;
  private SharedIndexInformer<Pod> unscheduled;

  public Binder(
      KubernetesClient client,
      String nodeName,
      Supplier<EciProfile> profile,
      BooleanSupplier mayWrite) {
    this.client = client;
    this.nodeName = nodeName;
    this.profile = profile;
    this.mayWrite = mayWrite;
  }

  public void start() {
    unscheduled =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", "")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    bindIfSelected(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod after) {
                    bindIfSelected(after);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {}
                });
  }

  private void bindIfSelected(Pod pod) {
    if (!mayWrite.getAsBoolean() || pod.getMetadata().getDeletionTimestamp() != null) {
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
      LOG.debug(
          "pod {}/{} not bound: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    if (unscheduled != null) {
      unscheduled.close();
    }
  }
}
