package io.eci.vnode.service.cluster;

import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import java.util.List;

/**
 * A cluster that passed validation, ready to store. A null new secret means the stored one is kept.
 *
 * @param name unique within the tenant
 * @param region fixed once registered
 * @param mode where the virtual node runs
 * @param paused whether the service stopped running it (managed mode)
 * @param apiServer how to reach the API server
 * @param eci the virtual node's ECI settings
 */
record ClusterDraft(
    String name, String region, Mode mode, boolean paused, ApiServer apiServer, Eci eci) {

  /**
   * @param credentialType as {@link Cluster#apiCredentialType} stores it
   * @param newCredentials credentials to seal, or null to keep the stored ones
   */
  record ApiServer(
      String url, String caBundle, String credentialType, ApiCredentialsSpec newCredentials) {}

  /**
   * @param credentialType as {@link ClusterConfig#eciCredentialType} stores it
   * @param newAccessKeySecret a secret to seal, or null to keep the stored one
   */
  record Eci(
      List<String> vSwitchIds,
      String securityGroupId,
      boolean kubeProxy,
      String credentialType,
      String accessKeyId,
      String newAccessKeySecret,
      String ramRoleArn) {
    @Override
    public String toString() {
      return "Eci[vSwitchIds=" + vSwitchIds + ", securityGroupId=" + securityGroupId + "]";
    }
  }

  /** The stored cluster as a draft that keeps its secrets. */
  static ClusterDraft stored(Cluster c, ClusterConfig config) {
    return new ClusterDraft(
        c.name,
        c.region,
        Mode.fromWire(c.mode).orElseThrow(),
        c.paused,
        new ApiServer(c.apiServerUrl, c.apiServerCa, c.apiCredentialType, null),
        new Eci(
            config.vSwitches(),
            config.securityGroupId,
            config.kubeProxy,
            config.eciCredentialType,
            config.accessKeyId,
            null,
            config.ramRoleArn));
  }
}
