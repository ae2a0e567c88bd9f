package io.eci.vnode.engine.translate;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import java.util.Optional;

/**
 * What a translation needs besides the pod.
 *
 * @param config the virtual node's configuration (vSwitches, security group, cluster id)
 * @param nodeName the virtual node the pod is bound to
 * @param clusterDns the cluster DNS service address for ClusterFirst pods, when known
 */
public record TranslationContext(
    VirtualNodeConfig config, String nodeName, Optional<String> clusterDns) {}
