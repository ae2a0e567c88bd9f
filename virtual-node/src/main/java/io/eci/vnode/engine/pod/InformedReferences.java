package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.translate.References;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Lister;
import java.util.List;
import java.util.Optional;

/**
 * What a pod refers to, as a kubelet reads it: ConfigMaps and Secrets by a read when the pod's
 * instance is created, Services from an informer's cache (for the service environment variables).
 */
final class InformedReferences implements References {

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;

  InformedReferences(KubernetesClient client, SharedIndexInformer<Service> services) {
    this.client = client;
    this.services = services;
  }

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
}
