package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What an engine needs of a registered cluster, secrets opened: read across tenants by the host,
 * never shown to anyone.
 *
 * @param eciCredentials an AccessKey pair, when the owner gave one
 * @param ramRoleArn the role to assume through STS, when the owner gave one instead
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
    Optional<EciCredentials> eciCredentials,
    Optional<String> ramRoleArn,
    long version) {

  @Override
  public String toString() {
    return "HostedCluster[" + id + " " + name + " of " + tenantId + " v" + version + "]";
  }
}
