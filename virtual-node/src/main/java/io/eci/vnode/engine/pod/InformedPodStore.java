package io.eci.vnode.engine.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node's pods through fabric8: reads from the informer's cache, writes as merge patches. */
final class InformedPodStore implements PodStore {

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;
  private final PodWrites writes;

  InformedPodStore(KubernetesClient client, SharedIndexInformer<Pod> informer, PodWrites writes) {
    this.client = client;
    this.informer = informer;
    this.writes = writes;
  }

  @Override
  public Optional<Pod> cached(String key) {
    return Optional.ofNullable(informer.getIndexer().getByKey(key));
  }

  @Override
  public List<Pod> cachedPods() {
    return informer.getStore().list();
  }

  @Override
  public boolean synced() {
    return informer.hasSynced();
  }

  @Override
  public Optional<Pod> read(String namespace, String name) {
    return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
  }

  @Override
  public void annotate(Pod pod, Map<String, String> annotations) {
    writes.annotate(pod, annotations);
  }

  @Override
  public void writeStatus(Pod pod, Map<String, String> annotations, PodStatus status) {
    writes.status(pod, annotations, status);
  }

  @Override
  public void remove(Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
  }
}
