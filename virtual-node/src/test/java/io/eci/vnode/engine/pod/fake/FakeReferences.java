package io.eci.vnode.engine.pod.fake;

import io.eci.vnode.engine.translate.References;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** ConfigMaps, Secrets and Services that pods refer to, in memory; none until a test adds one. */
public final class FakeReferences implements References {

  private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();

  /** Adds a ConfigMap with this data to the namespace. */
  public void addConfigMap(String namespace, String name, Map<String, String> data) {
    configMaps.put(
        namespace + "/" + name,
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace(namespace)
            .withName(name)
            .endMetadata()
            .withData(data)
            .build());
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(configMaps.get(namespace + "/" + name));
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  public List<Service> services(String namespace) {
    return List.of();
  }
}
