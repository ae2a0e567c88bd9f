package io.eci.vnode.service.hosting.bench;

import io.eci.vnode.sandbox.eci.EciSandbox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The sandbox's ECI for the hosting benchmark: one AccessKey, one zone, instant provisioning. */
public class BenchEciResource implements QuarkusTestResourceLifecycleManager {

  static final String KEY = "LTAIbenchKey";
  static final String SECRET = "bench-secret";

  private static volatile EciSandbox eci;

  /** The running stand-in: the benchmark listens to its calls. */
  static EciSandbox eci() {
    return eci;
  }

  @Override
  public Map<String, String> start() {
    eci =
        EciSandbox.builder()
            .accessKey(KEY, SECRET)
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .instantProvisioning()
            .start();
    return Map.of("vnode.eci.endpoint", eci.endpoint());
  }

  @Override
  public void stop() {
    if (eci != null) {
      eci.close();
    }
  }
}
