package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A cluster as the caller describes it: the body of a registration (everything required) and of a
 * change (only what changes). Secret fields are write-only and kept out of {@code toString}.
 *
 * @param name unique within the tenant, a DNS label
 * @param region the Alibaba Cloud region its ECI instances run in; fixed once registered
 * @param mode {@code managed} (the service runs the virtual node) or {@code unmanaged} (the agent
 *     does)
 * @param paused managed mode only: true stops the service's engine and leaves the node NotReady
 *     with pods running on ECI untouched, until set back to false (default false)
 * @param apiServer how to reach the cluster's API server
 * @param eci the virtual node's ECI settings
 */
public record ClusterSpec(
    String name,
    String region,
    @Schema(enumeration = {"managed", "unmanaged"}) String mode,
    Boolean paused,
    ApiServerSpec apiServer,
    EciSpec eci) {

  /**
   * @param url the API server's https URL; taken from the kubeconfig when one is given
   * @param caBundle PEM certificates that sign the API server's certificate
   * @param credentials exactly one way to authenticate
   */
  public record ApiServerSpec(String url, String caBundle, ApiCredentialsSpec credentials) {}

  /**
   * Exactly one of: a bearer token, a client certificate and key, or a self-contained kubeconfig.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApiCredentialsSpec(
      String token, String clientCertificate, String clientKey, String kubeconfig) {
    @Override
    public String toString() {
      return "ApiCredentialsSpec[redacted]";
    }
  }

  /**
   * @param vSwitchIds the vSwitches (and so zones) pods may land in, in order of preference
   * @param securityGroupId the security group of every instance
   * @param kubeProxy whether instances run kube-proxy so ClusterIP services work (default true)
   * @param credentials how the virtual node calls ECI
   */
  public record EciSpec(
      @JsonProperty("vSwitchIds") List<String> vSwitchIds,
      String securityGroupId,
      Boolean kubeProxy,
      EciCredentialsSpec credentials) {}

  /** Exactly one of: an AccessKey pair, or a RAM role for the service to assume through STS. */
  public record EciCredentialsSpec(String accessKeyId, String accessKeySecret, String ramRoleArn) {
    @Override
    public String toString() {
      return "EciCredentialsSpec[accessKeyId=" + accessKeyId + ", ramRoleArn=" + ramRoleArn + "]";
    }
  }
}
