package io.eci.vnode.service.clusterstate;

/** Where a page of a cluster's pods ends: the last pod's position in the listing order. */
public record PodCursor(String namespace, String name, String podUid) {

  static PodCursor after(ClusterPod pod) {
    return new PodCursor(pod.namespace, pod.name, pod.podUid);
  }
}
