package io.eci.vnode.engine.translate;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** The objects a pod refers to, read from the cluster (through an informer cache in the engine). */
public interface References {

  /** The ConfigMap, if it exists. */
  Optional<ConfigMap> configMap(String namespace, String name);

  /** The Secret, if it exists. */
  Optional<Secret> secret(String namespace, String name);
}
