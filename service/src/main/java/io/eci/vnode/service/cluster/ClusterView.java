package io.eci.vnode.service.cluster;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A cluster as the API shows it. Secrets are write-only: only the kind of credential is shown (and
 * the AccessKey id, which is an identifier, not a secret).
 */
@Schema(
    requiredProperties = {
      "id",
      "name",
      "region",
      "mode",
      "paused",
      "version",
      "apiServer",
      "eci",
      "createdAt",
      "updatedAt"
    })
public record ClusterView(
    UUID id,
    String name,
    String region,
    @Schema(enumeration = {"managed", "unmanaged"}) String mode,
    boolean paused,
    long version,
    ApiServerView apiServer,
    EciView eci,
    Instant createdAt,
    Instant updatedAt) {

  public record ApiServerView(String url, String caBundle, String credentialType) {}

  public record EciView(
      List<String> vSwitchIds,
      String securityGroupId,
      boolean kubeProxy,
      String credentialType,
      String accessKeyId,
      String ramRoleArn) {}

  static ClusterView of(Cluster c, ClusterConfig config) {
    return new ClusterView(
        c.id,
        c.name,
        c.region,
        c.mode,
        c.paused,
        c.version,
        new ApiServerView(c.apiServerUrl, c.apiServerCa, c.apiCredentialType),
        new EciView(
            config.vSwitches(),
            config.securityGroupId,
            config.kubeProxy,
            config.eciCredentialType,
            config.accessKeyId,
            config.ramRoleArn),
        c.createdAt,
        c.updatedAt);
  }
}
