package io.eci.vnode.engine.translate;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.selection.EciProfile;
import java.util.Optional;

/**
 * What a translation needs besides the pod.
 *
 * @param config the virtual node's configuration (vSwitches, security group, cluster id)
 * @param nodeName the virtual node the pod is bound to
 * @param clusterDns the cluster DNS service address for ClusterFirst pods, when known
 */
public record TranslationContext(
    VirtualNodeConfig config, String nodeName, Optional<String> clusterDns) {

  /**
   * This context with the eci-profile's overrides of vSwitches, security group and ClusterIP
   * support.
   */
  public TranslationContext with(EciProfile profile) {
    VirtualNodeConfig c = config;
    VirtualNodeConfig overridden =
        new VirtualNodeConfig(
            c.clusterId(),
            c.region(),
            profile.vSwitchIds().orElse(c.vSwitchIds()),
            profile.securityGroupId().orElse(c.securityGroupId()),
            profile.enableClusterIp().orElse(c.kubeProxy()),
            c.credentials(),
            c.quota());
    return new TranslationContext(overridden, nodeName, clusterDns);
  }
}
