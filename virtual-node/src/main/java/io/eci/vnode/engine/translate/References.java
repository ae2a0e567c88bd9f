package io.eci.vnode.engine.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * The objects a pod refers to, read from the cluster: in the engine, ConfigMaps and Secrets by a
 * read when the pod's instance is created, Services from an informer's cache.
 */
public interface References {

  /** The ConfigMap, if it exists. */
  Optional<ConfigMap> configMap(String namespace, String name);

  /** The Secret, if it exists. */
  Optional<Secret> secret(String namespace, String name);

  /** The Services of a namespace, for the service environment variables of its pods. */
  List<Service> services(String namespace);
}
