package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
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
      "updatedAt",
      "validation"
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
    Instant updatedAt,
    @Schema(
            enumeration = {"passed", "skipped"},
            description =
                "passed: the API server and cloud settings were checked when last set; skipped:"
                    + " they were stored unchecked (?validate=false)")
        String validation) {

  /**
   * @param clusterIdentity the uid of the cluster's kube-system namespace, read when the settings
   *     were checked; null when they were not
   */
  public record ApiServerView(
      String url,
      String caBundle,
      String credentialType,
      @Schema(nullable = true) String clusterIdentity) {}

  /**
   * @param vSwitches each vSwitch with its zone as VPC answered when the settings were checked
   *     (zoneId null when they were not)
   */
  public record EciView(
      @JsonProperty("vSwitchIds") List<String> vSwitchIds,
      @JsonProperty("vSwitches") List<VSwitchView> vSwitches,
      String securityGroupId,
      boolean kubeProxy,
      String credentialType,
      String accessKeyId,
      String ramRoleArn) {}

  /** A vSwitch and the zone it is in. */
  public record VSwitchView(String id, @Schema(nullable = true) String zoneId) {}

  static ClusterView of(Cluster c, ClusterConfig config) {
    return new ClusterView(
        c.id,
        c.name,
        c.region,
        c.mode,
        c.paused,
        c.version,
        new ApiServerView(c.apiServerUrl, c.apiServerCa, c.apiCredentialType, c.kubeSystemUid),
        new EciView(
            config.vSwitches(),
            vSwitches(config),
            config.securityGroupId,
            config.kubeProxy,
            config.eciCredentialType,
            config.accessKeyId,
            config.ramRoleArn),
        c.createdAt,
        c.updatedAt,
        c.validation);
  }

  private static List<VSwitchView> vSwitches(ClusterConfig config) {
    List<String> ids = config.vSwitches();
    List<String> zones = config.zones();
    List<VSwitchView> views = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      views.add(new VSwitchView(ids.get(i), zones == null ? null : zones.get(i)));
    }
    return views;
  }
}
