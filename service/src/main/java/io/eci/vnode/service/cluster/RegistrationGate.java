package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.Problem.InvalidParam;
import io.eci.vnode.service.cluster.ClusterDraft.ApiServer;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.eci.vnode.service.secrets.SealedSecret;
import io.eci.vnode.service.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Set;

/**
 * Lets a registration, or a change of what the checks cover, through only when the {@link
 * RegistrationChecks} find nothing wrong: problems are a 400 naming every field, a check that could
 * not come to an answer a 503. Opens the stored secrets a change keeps, so the checks see the
 * cluster as it would be stored.
 */
@ApplicationScoped
class RegistrationGate {

  /** The fields whose change is checked again; the others (name, mode, paused, kubeProxy) never. */
  static final Set<String> CHECKED_FIELDS =
      Set.of(
          "apiServer.url",
          "apiServer.caBundle",
          "apiServer.credentials",
          "eci.vSwitchIds",
          "eci.securityGroupId",
          "eci.credentials");

  private final RegistrationChecks checks;
  private final SecretBox secrets;
  private final ObjectMapper json;

  RegistrationGate(RegistrationChecks checks, SecretBox secrets, ObjectMapper json) {
    this.checks = checks;
    this.secrets = secrets;
    this.json = json;
  }

  /** Whether a change of these fields is checked again. */
  static boolean checks(List<String> changedFields) {
    return changedFields.stream().anyMatch(CHECKED_FIELDS::contains);
  }

  /**
   * Checks {@code draft}, the secrets it keeps taken from the stored {@code cluster} and {@code
   * config} (null for a registration).
   *
   * @throws ApiProblem 400 naming each field the checks found wrong; 503 when a check could not
   *     come to an answer
   */
  CheckOutcome admit(String tenantId, ClusterDraft draft, Cluster cluster, ClusterConfig config) {
    ApiServer api = draft.apiServer();
    Eci eci = draft.eci();
    CheckReport report =
        checks.check(
            new CheckTarget(
                tenantId,
                draft.region(),
                api.url(),
                api.caBundle(),
                api.newCredentials() != null ? api.newCredentials() : storedApiCredentials(cluster),
                eci.vSwitchIds(),
                eci.securityGroupId(),
                eciCredentials(eci, config)));
    if (!report.problems().isEmpty()) {
      throw ApiProblem.invalid(
          report.problems().stream().map(p -> new InvalidParam(p.field(), p.reason())).toList());
    }
    if (!report.unverified().isEmpty()) {
      throw ApiProblem.http(
          Status.SERVICE_UNAVAILABLE,
          "The settings could not be checked: "
              + String.join("; ", report.unverified())
              + ". Try again, or send ?validate=false to store them unchecked.");
    }
    return new CheckOutcome(
        Cluster.VALIDATION_PASSED, report.clusterIdentity().orElse(null), report.zones());
  }

  private ApiCredentialsSpec storedApiCredentials(Cluster c) {
    String opened =
        secrets.open(
            new SealedSecret(c.apiCredentialKeyId, c.apiCredentialCiphertext),
            Cluster.apiCredentialsContext(c.id));
    try {
      return json.readValue(opened, ApiCredentialsSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored API credentials of cluster " + c.id + " are unreadable");
    }
  }

  private EciCredentials eciCredentials(Eci eci, ClusterConfig stored) {
    if (ClusterConfig.RAM_ROLE.equals(eci.credentialType())) {
      return new EciCredentials.RamRole(eci.ramRoleArn());
    }
    String secret =
        eci.newAccessKeySecret() != null
            ? eci.newAccessKeySecret()
            : secrets.open(
                new SealedSecret(stored.accessKeySecretKeyId, stored.accessKeySecretCiphertext),
                ClusterConfig.accessKeySecretContext(stored.clusterId));
    return new EciCredentials.AccessKey(eci.accessKeyId(), secret);
  }
}
