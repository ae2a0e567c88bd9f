package io.eci.vnode.service.cluster;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import java.util.List;

/**
 * What the {@link RegistrationChecks} check: a cluster's settings as they would be stored, secrets
 * opened.
 *
 * @param tenantId the registering tenant: the ExternalId a RAM role is assumed with
 * @param apiServerUrl as stored (for a kubeconfig, its server)
 * @param apiServerCa as stored, or null
 * @param apiCredentials exactly one way to authenticate to the API server
 * @param eciCredentials an AccessKey pair, or a RAM role the service assumes
 */
public record CheckTarget(
    String tenantId,
    String region,
    String apiServerUrl,
    String apiServerCa,
    ApiCredentialsSpec apiCredentials,
    List<String> vSwitchIds,
    String securityGroupId,
    EciCredentials eciCredentials) {

  @Override
  public String toString() {
    return "CheckTarget[" + apiServerUrl + ", " + region + ", " + vSwitchIds + "]";
  }
}
