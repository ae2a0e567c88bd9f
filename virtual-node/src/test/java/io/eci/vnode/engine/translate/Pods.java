package io.eci.vnode.engine.translate;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pods, referenced objects and a node context for translation tests. */
final class Pods {

  static final VirtualNodeConfig CONFIG =
      new VirtualNodeConfig(
          "cluster-1",
          "cn-hangzhou",
          List.of("vsw-a", "vsw-b"),
          "sg-node",
          true,
          new EciCredentials.AccessKey("LTAIx", "secret"),
          VirtualNodeConfig.Quota.defaults());

  static final TranslationContext CONTEXT =
      new TranslationContext(CONFIG, "virtual-kubelet-cn-hangzhou-a", Optional.of("172.21.0.10"));

  private Pods() {}

  /** The shared test pod (one nginx container) in {@code shop}, bound to the virtual node. */
  static PodBuilder nginx() {
    return TestPods.labelledBuilder("web")
        .editMetadata()
        .withNamespace("shop")
        .withUid("0b7f3c1e-1111-4222-8333-444455556666")
        .endMetadata()
        .editSpec()
        .withNodeName("virtual-kubelet-cn-hangzhou-a")
        .withRestartPolicy("Always")
        .endSpec();
  }

  /** References backed by maps. */
  static final class FakeReferences implements References {
    final Map<String, ConfigMap> configMaps = new HashMap<>();
    final Map<String, Secret> secrets = new HashMap<>();
    final List<Service> services = new ArrayList<>();

    FakeReferences with(ConfigMap map) {
      configMaps.put(map.getMetadata().getNamespace() + "/" + map.getMetadata().getName(), map);
      return this;
    }

    FakeReferences with(Secret secret) {
      secrets.put(
          secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
      return this;
    }

    FakeReferences with(Service service) {
      services.add(service);
      return this;
    }

    @Override
    public List<Service> services(String namespace) {
      return services.stream()
          .filter(s -> namespace.equals(s.getMetadata().getNamespace()))
          .toList();
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
      return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }
  }
}
