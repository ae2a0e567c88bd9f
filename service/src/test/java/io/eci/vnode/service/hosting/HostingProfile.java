package io.eci.vnode.service.hosting;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The service with its hosting loop on, at test speed. */
public class HostingProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "vnode.hosting.enabled", "true",
        "vnode.hosting.replica", "replica-1",
        "vnode.hosting.period", "1s",
        "vnode.hosting.lease", "4s",
        "vnode.hosting.status-period", "300ms",
        "vnode.hosting.webhook-base-url", "https://vnode.example.test/");
  }
}
