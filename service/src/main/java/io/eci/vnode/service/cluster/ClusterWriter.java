package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.service.cluster.ClusterDraft.ApiServer;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.secrets.SealedSecret;
import io.eci.vnode.service.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes a validated draft into a cluster's rows, sealing the secrets it brings. */
@ApplicationScoped
class ClusterWriter {

  private final SecretBox secrets;
  private final ObjectMapper json;

  ClusterWriter(SecretBox secrets, ObjectMapper json) {
    this.secrets = secrets;
    this.json = json;
  }

  /** Sets every field of {@code draft} on the rows; a secret the draft does not bring is kept. */
  void write(ClusterDraft draft, Cluster cluster, ClusterConfig config) {
    cluster.name = draft.name();
    cluster.region = draft.region();
    cluster.mode = draft.mode().wire();
    cluster.paused = draft.paused();
    ApiServer api = draft.apiServer();
    cluster.apiServerUrl = api.url();
    cluster.apiServerCa = api.caBundle();
    cluster.apiCredentialType = api.credentialType();
    if (api.newCredentials() != null) {
      SealedSecret sealed =
          secrets.seal(toJson(api.newCredentials()), Cluster.apiCredentialsContext(cluster.id));
      cluster.apiCredentialKeyId = sealed.keyId();
      cluster.apiCredentialCiphertext = sealed.ciphertext();
    }
    Eci eci = draft.eci();
    config.vSwitches(eci.vSwitchIds());
    config.securityGroupId = eci.securityGroupId();
    config.kubeProxy = eci.kubeProxy();
    config.eciCredentialType = eci.credentialType();
    config.accessKeyId = eci.accessKeyId();
    config.ramRoleArn = eci.ramRoleArn();
    if (ClusterConfig.RAM_ROLE.equals(eci.credentialType())) {
      config.accessKeySecretKeyId = null;
      config.accessKeySecretCiphertext = null;
    } else if (eci.newAccessKeySecret() != null) {
      SealedSecret sealed =
          secrets.seal(eci.newAccessKeySecret(), ClusterConfig.accessKeySecretContext(cluster.id));
      config.accessKeySecretKeyId = sealed.keyId();
      config.accessKeySecretCiphertext = sealed.ciphertext();
    }
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("credentials could not be serialised", e);
    }
  }
}
