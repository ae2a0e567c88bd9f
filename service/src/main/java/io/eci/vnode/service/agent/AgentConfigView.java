package io.eci.vnode.service.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a cluster's agent runs with: the cluster's registration as the engine needs it, the mode
 * that says whether the agent or the service is in charge, and the ECI credentials, which reach the
 * agent only over its authenticated channel.
 *
 * @param version the registration's version; the ETag follows it
 * @param mode {@code unmanaged}: the agent runs the node; {@code managed}: the service does, and
 *     the agent stays passive
 * @param paused whether the owner paused the cluster: nobody runs the node
 * @param statusPeriodMillis how often the engine follows its instances' status
 * @param heartbeatSeconds how often the agent sends its heartbeat
 */
@Schema(
    requiredProperties = {
      "clusterId",
      "version",
      "mode",
      "paused",
      "region",
      "vSwitchIds",
      "securityGroupId",
      "kubeProxy",
      "eci",
      "statusPeriodMillis",
      "heartbeatSeconds"
    })
public record AgentConfigView(
    UUID clusterId,
    long version,
    @Schema(enumeration = {"managed", "unmanaged"}) String mode,
    boolean paused,
    String region,
    List<String> vSwitchIds,
    String securityGroupId,
    boolean kubeProxy,
    Eci eci,
    long statusPeriodMillis,
    long heartbeatSeconds) {

  /** The ECI part. */
  public record Eci(Credentials credentials) {}

  /**
   * ECI credentials: an AccessKey pair ({@code accessKey}), or temporary ones of the owner's RAM
   * role ({@code sts}) that the agent fetches again before {@code expiresAt}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(requiredProperties = {"type", "accessKeyId", "accessKeySecret"})
  public record Credentials(
      @Schema(enumeration = {"accessKey", "sts"}) String type,
      String accessKeyId,
      String accessKeySecret,
      String securityToken,
      Instant expiresAt) {

    @Override
    public String toString() {
      return "Credentials[" + type + " " + accessKeyId + "]";
    }
  }
}
