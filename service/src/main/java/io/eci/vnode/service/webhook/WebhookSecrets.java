package io.eci.vnode.service.webhook;

import io.eci.vnode.service.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The secret in each cluster's webhook URL, which an API server presents to be answered. Derived
 * from the cluster id under the service's master keys rather than stored: nothing new to keep,
 * seal, or migrate, every replica computes the same one, and a key rotation changes it on the
 * engines' next install while the retired key, still configured, keeps the old URLs working.
 */
@ApplicationScoped
public class WebhookSecrets {

  // Part of the derivation: changing it changes every cluster's webhook URL.
  private static final String PURPOSE = "webhook-url/v1";

  private final SecretBox box;

  WebhookSecrets(SecretBox box) {
    this.box = box;
  }

  /** The secret the cluster's webhook URL carries: 43 URL-safe characters. */
  public String of(UUID clusterId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(box.derive(PURPOSE, key(clusterId)));
  }

  /** Whether {@code offered} is the cluster's secret, compared in constant time. */
  boolean matches(UUID clusterId, String offered) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(offered.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return box.isDerived(PURPOSE, key(clusterId), raw);
  }

  private static String key(UUID clusterId) {
    return "cluster/" + clusterId;
  }
}
