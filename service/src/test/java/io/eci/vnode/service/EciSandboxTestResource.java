package io.eci.vnode.service;

import io.eci.vnode.sandbox.eci.Accounts;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The sandbox's ECI for the hosting and registration tests: two zones, two security groups, one
 * AccessKey per tenant (and the one of {@link ClusterBodies}), no provisioning delay. The service
 * reaches it through {@code vnode.eci.endpoint}.
 */
public class EciSandboxTestResource implements QuarkusTestResourceLifecycleManager {

  public static final String KEY_A = "LTAItenantAkey";
  public static final String SECRET_A = "tenant-a-secret";
  public static final String KEY_B = "LTAItenantBkey";
  public static final String SECRET_B = "tenant-b-secret";

  /** The service's own RAM identity, which assumes owners' roles. */
  public static final String SERVICE_KEY = "LTAIserviceKey";

  public static final String SERVICE_SECRET = "service-secret";

  /** A security group that exists (so do {@code sg-hosting}); no other does. */
  public static final String SECURITY_GROUP = "sg-checked";

  /** A RAM role of the sandbox's account, which the service's identity may assume. */
  public static final String RAM_ROLE =
      "acs:ram::" + Accounts.ACCOUNT_ID + ":role/eci-virtual-node";

  public static EciSandbox eci;

  @Override
  public Map<String, String> start() {
    eci =
        EciSandbox.builder()
            .accessKey(KEY_A, SECRET_A)
            .accessKey(KEY_B, SECRET_B)
            .accessKey(SERVICE_KEY, SERVICE_SECRET)
            .accessKey("LTAI5tTestAccessKey", ClusterBodies.ACCESS_KEY_SECRET)
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
            .securityGroup(SECURITY_GROUP)
            .securityGroup("sg-hosting")
            .instantProvisioning()
            .start();
    return Map.of(
        "vnode.eci.endpoint",
        eci.endpoint(),
        "vnode.sts.access-key-id",
        SERVICE_KEY,
        "vnode.sts.access-key-secret",
        SERVICE_SECRET);
  }

  @Override
  public void stop() {
    if (eci != null) {
      eci.close();
    }
  }
}
