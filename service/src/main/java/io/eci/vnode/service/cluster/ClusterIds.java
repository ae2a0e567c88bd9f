package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.ApiProblem;
import java.util.UUID;

/** Cluster ids as they arrive in paths. */
public final class ClusterIds {

  private ClusterIds() {}

  /** The id; one that is not a UUID names no cluster: the same 404 as any unknown id. */
  public static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  /** The 404 problem for a cluster the caller does not have. */
  public static ApiProblem notFound(String id) {
    return ApiProblem.notFound("cluster", id);
  }
}
