package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.threads.KeyedQueue;

/**
 * Where the pod classes hand a pod's key for later work: a {@link KeyedQueue} in production, a list
 * the fast tests drain. Enqueueing never calls the API server or ECI.
 */
interface PodQueue {

  /** Asks for the pod with this key (namespace/name) to be handled soon. */
  void enqueue(String key);
}
