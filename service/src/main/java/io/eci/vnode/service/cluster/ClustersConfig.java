package io.eci.vnode.service.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the registry accepts from callers. */
@ConfigMapping(prefix = "vnode.clusters")
public interface ClustersConfig {

  /**
   * Whether an API server may be registered with a plain {@code http} URL on loopback ({@code
   * 127.0.0.1} or {@code localhost}): only the local sandbox and the tests turn it on, whose
   * Kubernetes stand-ins speak http. Every other API server must use https, since the service sends
   * it cluster credentials.
   */
  @WithDefault("false")
  boolean allowPlainHttpLoopback();
}
