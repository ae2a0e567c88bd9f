package io.eci.vnode.agent.engine;

import com.aliyuncs.IAcsClient;
import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.node.LeaseHolder;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.OutageLog;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the agent's engine for a configuration, as the service builds a hosted one: ECI with the
 * configured credentials, the node named after the zone the cluster's node already has (or the
 * first vSwitch's), the ownership Lease under the {@link AgentHolder agent's holder}. Returned
 * built, not started.
 */
@ApplicationScoped
public class EngineBuilder {

  private final AgentSettings settings;
  private final KubernetesClient client;
  private final EciAccess eci;
  private final EciCredentialSource credentials;

  EngineBuilder(
      AgentSettings settings,
      KubernetesClient client,
      EciAccess eci,
      EciCredentialSource credentials) {
    this.settings = settings;
    this.client = client;
    this.eci = eci;
    this.credentials = credentials;
  }

  /**
   * The engine of {@code config}, not started.
   *
   * @throws IllegalStateException when its credentials or its zone cannot be had now
   */
  public RunningEngine build(RemoteConfig config) {
    SwappableCredentials signing = new SwappableCredentials(credentials.resolve(config));
    IAcsClient sdk = eci.sdk(config.region(), signing);
    String zone =
        existingNodeZone(config.clusterId())
            .orElseGet(() -> eci.zoneOf(sdk, config.region(), config.vSwitchIds().get(0)));
    LeaseHolder holder = AgentHolder.of(settings.replica(), config);
    VirtualNode node =
        new VirtualNode(
            client,
            new VirtualNodeConfig(
                config.clusterId(),
                config.region(),
                config.vSwitchIds(),
                config.securityGroupId(),
                config.kubeProxy(),
                // The SDK client signs with the swappable credentials; the engine never sees them.
                new EciCredentials.RamRole("agent"),
                VirtualNodeConfig.Quota.defaults()),
            new NodeIdentity(config.region(), zone),
            eci.instances(sdk, config.region()),
            new VirtualNode.Options(
                Duration.ofMillis(config.statusPeriodMillisOrDefault()),
                Optional.empty(),
                holder.identity(),
                AgentHolder.OWNERSHIP_LEASE,
                AgentHolder.OWNERSHIP_RENEW_DEADLINE,
                AgentHolder.OWNERSHIP_RETRY,
                OutageLog.SUMMARY_EVERY));
    return new RunningEngine(node, config, holder, signing);
  }

  /**
   * Swaps new credentials of {@code config} into a running engine.
   *
   * @throws IllegalStateException as {@link #build}
   */
  public void refreshCredentials(RunningEngine engine, RemoteConfig config) {
    engine.credentials().swap(credentials.resolve(config));
  }

  /**
   * The zone of the node the cluster already has, so its name stays when the vSwitches change and
   * the pods bound to it keep their node; empty when there is none yet.
   */
  private Optional<String> existingNodeZone(String clusterId) {
    return client
        .nodes()
        .withLabel(NodeController.CLUSTER_LABEL, clusterId)
        .list()
        .getItems()
        .stream()
        .map(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone"))
        .filter(Objects::nonNull)
        .findFirst();
  }
}
