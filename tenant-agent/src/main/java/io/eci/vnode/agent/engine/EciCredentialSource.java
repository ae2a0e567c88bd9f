package io.eci.vnode.agent.engine;

import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.configuration.RemoteConfig.Credentials;
import io.eci.vnode.agent.settings.AgentSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the engine's ECI credentials come from: the Secret {@code agent.eci.credentials-secret}
 * when it is set (the keys then never leave the cluster), else what the service's configuration
 * carries (an AccessKey pair or STS credentials).
 */
@ApplicationScoped
public class EciCredentialSource {

  private final AgentSettings settings;
  private final KubernetesClient client;

  EciCredentialSource(AgentSettings settings, KubernetesClient client) {
    this.settings = settings;
    this.client = client;
  }

  /**
   * The credentials to sign with under {@code config}.
   *
   * @throws IllegalStateException saying what is missing, for readiness
   */
  public AlibabaCloudCredentials resolve(RemoteConfig config) {
    Optional<String> secret = settings.config().eci().credentialsSecret();
    if (secret.isPresent()) {
      return fromSecret(secret.get());
    }
    Credentials given =
        config
            .credentials()
            .orElse(new Credentials(Credentials.CLUSTER_SECRET, null, null, null, null));
    return switch (given.type()) {
      case Credentials.ACCESS_KEY ->
          new BasicCredentials(required(given.accessKeyId()), required(given.accessKeySecret()));
      case Credentials.STS ->
          new BasicSessionCredentials(
              required(given.accessKeyId()),
              required(given.accessKeySecret()),
              required(given.securityToken()));
      case Credentials.CLUSTER_SECRET ->
          throw new IllegalStateException(
              "the service says the cluster's own Secret holds the ECI credentials, but"
                  + " agent.eci.credentials-secret is not set");
      default ->
          throw new IllegalStateException(
              "the service sent ECI credentials of an unknown type '" + given.type() + "'");
    };
  }

  private AlibabaCloudCredentials fromSecret(String name) {
    Secret secret = client.secrets().inNamespace(settings.namespace()).withName(name).get();
    if (secret == null || secret.getData() == null) {
      throw new IllegalStateException(
          "the ECI credentials Secret "
              + settings.namespace()
              + "/"
              + name
              + " (agent.eci.credentials-secret) does not exist");
    }
    String id = decode(secret, "accessKeyId");
    String key = decode(secret, "accessKeySecret");
    if (id == null || key == null) {
      throw new IllegalStateException(
          "the ECI credentials Secret "
              + settings.namespace()
              + "/"
              + name
              + " needs the keys accessKeyId and accessKeySecret");
    }
    return new BasicCredentials(id, key);
  }

  private static String decode(Secret secret, String key) {
    String value = secret.getData().get(key);
    return value == null
        ? null
        : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).trim();
  }

  private static String required(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("the service sent incomplete ECI credentials");
    }
    return value;
  }
}
