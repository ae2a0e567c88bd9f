package io.eci.vnode.agent.cache;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.settings.AgentSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The last configuration the service gave, kept in the Secret {@value #NAME} of the agent's
 * namespace (credentials included, hence a Secret), so an agent that starts while the service is
 * down runs the cluster's pods as before. The same Secret carries the drain mark.
 */
@ApplicationScoped
public class ConfigCache {

  public static final String NAME = "eci-virtual-node-agent-config";
  public static final String KEY = "config.json";

  /** Set by a drain: no agent runs the virtual node any more. */
  public static final String DRAINING = "eci-virtual-node.io/draining";

  static final String ETAG = "eci-virtual-node.io/etag";

  /**
   * The cached configuration.
   *
   * @param etag the service's ETag of it, when it had one
   */
  public record Cached(RemoteConfig config, String json, Optional<String> etag) {}

  private final KubernetesClient client;
  private final AgentSettings settings;

  ConfigCache(KubernetesClient client, AgentSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * The cached configuration; empty when there is none or it is unreadable.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server fails
   */
  public Optional<Cached> read() {
    return Optional.ofNullable(secret()).flatMap(ConfigCache::cached);
  }

  /** What a cache Secret holds, if it holds a readable configuration. */
  static Optional<Cached> cached(Secret secret) {
    String encoded = secret.getData() == null ? null : secret.getData().get(KEY);
    if (encoded == null) {
      return Optional.empty();
    }
    String json = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    try {
      return Optional.of(
          new Cached(
              RemoteConfig.parse(json),
              json,
              Optional.ofNullable(secret.getMetadata().getAnnotations())
                  .map(a -> a.get(ETAG))
                  .filter(e -> !e.isEmpty())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code json} (with its ETag) as the last configuration, leaving the drain mark alone.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server fails
   */
  public void write(String json, Optional<String> etag) {
    Secret existing = secret();
    Secret wanted = toSecret(settings.namespace(), json, etag, existing);
    if (existing == null) {
      client.secrets().inNamespace(settings.namespace()).resource(wanted).create();
    } else {
      client.secrets().inNamespace(settings.namespace()).resource(wanted).update();
    }
  }

  /** The Secret holding {@code json}, with the annotations of {@code existing} kept. */
  static Secret toSecret(String namespace, String json, Optional<String> etag, Secret existing) {
    SecretBuilder builder =
        existing == null
            ? new SecretBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "eci-virtual-node-agent")
                .endMetadata()
                .withType("Opaque")
            : new SecretBuilder(existing);
    return builder
        .editMetadata()
        .addToAnnotations(ETAG, etag.orElse(""))
        .endMetadata()
        .withData(
            Map.of(KEY, Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** Marks the cache Secret draining, creating it when there is none. */
  public void markDraining(String since) {
    Secret existing = secret();
    if (existing == null) {
      client
          .secrets()
          .inNamespace(settings.namespace())
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(NAME)
                  .withNamespace(settings.namespace())
                  .addToAnnotations(DRAINING, since)
                  .endMetadata()
                  .build())
          .create();
      return;
    }
    client
        .secrets()
        .inNamespace(settings.namespace())
        .withName(NAME)
        .edit(
            s ->
                new SecretBuilder(s)
                    .editMetadata()
                    .addToAnnotations(DRAINING, since)
                    .endMetadata()
                    .build());
  }

  /** Whether a cache Secret carries the drain mark. */
  public static boolean draining(Secret secret) {
    return secret != null
        && secret.getMetadata().getAnnotations() != null
        && secret.getMetadata().getAnnotations().containsKey(DRAINING);
  }

  /** Deletes the cache Secret, if it is there. */
  public void delete() {
    client.secrets().inNamespace(settings.namespace()).withName(NAME).delete();
  }

  private Secret secret() {
    return client.secrets().inNamespace(settings.namespace()).withName(NAME).get();
  }
}
