package io.eci.vnode.service.hosting.bench;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The hosting loop on, at production-like pace for idle clusters: a 1 s loop, 10 s claims and a
 * status every 5 s.
 */
public class HostingBenchmarkProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "vnode.hosting.enabled", "true",
        "vnode.hosting.replica", "bench-replica",
        "vnode.hosting.period", "1s",
        "vnode.hosting.lease", "10s",
        "vnode.hosting.status-period", "5s");
  }
}
