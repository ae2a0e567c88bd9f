package io.eci.vnode.engine.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod side's port: the node's pods as the pod classes read and write them. In production an
 * informer's cache and merge patches ({@link InformedPodStore}); in the fast tests an in-memory
 * fake. A write the API server refuses throws its {@code KubernetesClientException}.
 */
public interface PodStore {

  /** The pod with this key (namespace/name) as the informer last saw it, if it is on the node. */
  Optional<Pod> cached(String key);

  /** Every pod on the node as the informer last saw it. */
  List<Pod> cachedPods();

  /** Whether the cache holds a first full list, so that a pod missing from it is gone. */
  boolean synced();

  /** The pod as the API server has it now, read past the cache; empty once it is gone. */
  Optional<Pod> read(String namespace, String name);

  /** Sets annotations on the pod (a null value removes one) and leaves every other field alone. */
  void annotate(Pod pod, Map<String, String> annotations);

  /** Sets annotations and replaces the status (unless null) in one write of the pod's status. */
  void writeStatus(Pod pod, Map<String, String> annotations, PodStatus status);

  /** Deletes the pod with grace period 0; finalizers may keep it a while after. */
  void remove(Pod pod);
}
