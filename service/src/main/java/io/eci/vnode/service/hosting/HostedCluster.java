package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import java.util.List;
import java.util.UUID;

/**
 * What an engine needs of a registered cluster, secrets opened: read across tenants by the host,
 * never shown to anyone.
 *
 * @param eciCredentials an AccessKey pair, or a RAM role the service assumes through STS
 * @param version the registration's version; a change restarts the engine so new pods follow it
 */
public record HostedCluster(
    UUID id,
    String tenantId,
    String name,
    String region,
    String apiServerUrl,
    String apiServerCa,
    ApiCredentialsSpec apiCredentials,
    List<String> vSwitchIds,
    String securityGroupId,
    boolean kubeProxy,
    EciCredentials eciCredentials,
    long version) {

  @Override
  public String toString() {
    return "HostedCluster[" + id + " " + name + " of " + tenantId + " v" + version + "]";
  }
}
