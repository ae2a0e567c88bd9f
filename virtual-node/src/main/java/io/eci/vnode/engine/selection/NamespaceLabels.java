package io.eci.vnode.engine.selection;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.function.Function;

/**
 * A namespace's labels as the cluster has them now, for the admission handler. A namespace that
 * cannot be read counts as unlabelled: the webhook must never fail a pod's creation, and the binder
 * still takes the pod if it is selected.
 */
public final class NamespaceLabels implements Function<String, Map<String, String>> {

  private final KubernetesClient client;

  public NamespaceLabels(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Map<String, String> apply(String namespace) {
    try {
      Namespace ns = client.namespaces().withName(namespace).get();
      return ns == null || ns.getMetadata().getLabels() == null
          ? Map.of()
          : ns.getMetadata().getLabels();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
