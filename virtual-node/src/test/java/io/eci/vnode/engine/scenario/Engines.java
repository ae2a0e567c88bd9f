package io.eci.vnode.engine.scenario;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.node.LeaseHolder;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Engines wired to the two stand-ins, with short periods so scenarios finish in seconds. */
final class Engines {

  static final String KEY = "LTAIscenario";
  static final String SECRET = "scenario-secret";
  static final NodeIdentity IDENTITY = new NodeIdentity("cn-hangzhou", "cn-hangzhou-b");

  private Engines() {}

  static VirtualNode.Options fastOptions(String identity) {
    return new VirtualNode.Options(
        Duration.ofMillis(300),
        Optional.empty(),
        identity,
        Duration.ofSeconds(2),
        Duration.ofMillis(1500),
        Duration.ofMillis(200),
        OutageLog.SUMMARY_EVERY);
  }

  static EciSandbox eci() {
    return EciSandbox.builder()
        .accessKey(KEY, SECRET)
        .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
        .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
        .instantProvisioning()
        .start();
  }

  static VirtualNodeConfig config(List<String> vSwitches) {
    return config("cluster-scenario", vSwitches);
  }

  /** The configuration of another registration of the cluster: its own cluster id. */
  static VirtualNodeConfig config(String clusterId, List<String> vSwitches) {
    return new VirtualNodeConfig(
        clusterId,
        "cn-hangzhou",
        vSwitches,
        "sg-scenario",
        true,
        new EciCredentials.AccessKey(KEY, SECRET),
        VirtualNodeConfig.Quota.defaults());
  }

  static VirtualNode engine(
      KubernetesClient client, EciSandbox eci, String identity, List<String> vSwitches) {
    return new VirtualNode(
        client, config(vSwitches), IDENTITY, instances(eci), fastOptions(identity));
  }

  /** An engine of the registration {@code clusterId}, as the service names one in the Lease. */
  static VirtualNode engine(
      KubernetesClient client, EciSandbox eci, String clusterId, LeaseHolder holder) {
    return new VirtualNode(
        client,
        config(clusterId, List.of("vsw-b")),
        IDENTITY,
        instances(eci),
        fastOptions(holder.identity()));
  }

  /**
   * The sandbox's ECI through the real SDK, with no decorator: each host puts its own in front (the
   * service its SmallRye guard), and the engine's own retries must hold without one.
   */
  static ContainerInstances instances(EciSandbox eci) {
    return new EciSdkInstances(
        new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", KEY, SECRET)),
        "cn-hangzhou",
        Optional.of(eci.endpoint()));
  }
}
