package io.eci.vnode.agent.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigCacheTest {

  static final String JSON =
      "{\"clusterId\":\"c-1\",\"version\":3,\"mode\":\"unmanaged\",\"region\":\"cn-hangzhou\","
          + "\"vSwitchIds\":[\"vsw-a\"],\"securityGroupId\":\"sg-1\",\"eci\":{\"credentials\":"
          + "{\"type\":\"accessKey\",\"accessKeyId\":\"id\",\"accessKeySecret\":\"secret\"}}}";

  @Test
  void aCachedConfigurationReadsBackWholeWithItsEtag() {
    Secret secret = ConfigCache.toSecret("kube-system", JSON, Optional.of("\"v3\""), null);
    ConfigCache.Cached cached = ConfigCache.cached(secret).orElseThrow();
    assertThat(cached.json()).isEqualTo(JSON);
    assertThat(cached.config().version()).isEqualTo(3);
    assertThat(cached.config().credentials().orElseThrow().accessKeySecret()).isEqualTo("secret");
    assertThat(cached.etag()).contains("\"v3\"");
    assertThat(secret.getMetadata().getName()).isEqualTo(ConfigCache.NAME);
  }

  @Test
  void rewritingTheCacheKeepsTheDrainMark() {
    Secret marked =
        new SecretBuilder(ConfigCache.toSecret("kube-system", JSON, Optional.empty(), null))
            .editMetadata()
            .addToAnnotations(ConfigCache.DRAINING, "2026-12-08T00:00:00Z")
            .endMetadata()
            .build();
    Secret rewritten = ConfigCache.toSecret("kube-system", JSON, Optional.of("\"v4\""), marked);
    assertThat(ConfigCache.draining(rewritten)).isTrue();
    assertThat(
            ConfigCache.draining(ConfigCache.toSecret("kube-system", JSON, Optional.empty(), null)))
        .isFalse();
  }

  @Test
  void aSecretWithoutAReadableConfigurationIsNoCache() {
    assertThat(ConfigCache.cached(new SecretBuilder().withNewMetadata().endMetadata().build()))
        .isEmpty();
  }
}
