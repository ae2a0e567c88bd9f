package io.eci.vnode.service.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final String KEY_1 = key("first-master-key-for-unit-tests!");
  private static final String KEY_2 = key("second-master-key-for-unit-test!");

  @Test
  void opensWhatItSealed() {
    SecretBox box = box("k1", Map.of("k1", KEY_1));
    SealedSecret sealed = box.seal("hunter2", "cluster/1/api-credentials");
    assertThat(sealed.keyId()).isEqualTo("k1");
    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain("hunter2");
    assertThat(box.open(sealed, "cluster/1/api-credentials")).isEqualTo("hunter2");
  }

  @Test
  void sealsTheSameSecretDifferentlyEachTime() {
    SecretBox box = box("k1", Map.of("k1", KEY_1));
    assertThat(box.seal("same", "c").ciphertext()).isNotEqualTo(box.seal("same", "c").ciphertext());
  }

  @Test
  void refusesToOpenUnderAnotherContext() {
    SecretBox box = box("k1", Map.of("k1", KEY_1));
    SealedSecret sealed = box.seal("hunter2", "cluster/1/api-credentials");
    assertThatThrownBy(() -> box.open(sealed, "cluster/2/api-credentials"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void opensSecretsSealedWithARetiredKeyAfterRotation() {
    SealedSecret old = box("k1", Map.of("k1", KEY_1)).seal("from-before", "c");
    SecretBox rotated = box("k2", Map.of("k1", KEY_1, "k2", KEY_2));
    assertThat(rotated.open(old, "c")).isEqualTo("from-before");
    assertThat(rotated.seal("new", "c").keyId()).isEqualTo("k2");
  }

  @Test
  void derivesTheSameSecretForTheSameNameAndPurposeAndAnotherForAnother() {
    SecretBox box = box("k1", Map.of("k1", KEY_1));
    byte[] secret = box.derive("webhook", "cluster/1");
    assertThat(box.derive("webhook", "cluster/1")).isEqualTo(secret);
    assertThat(box.derive("webhook", "cluster/2")).isNotEqualTo(secret);
    assertThat(box.derive("other", "cluster/1")).isNotEqualTo(secret);
    assertThat(box("k1", Map.of("k1", KEY_2)).derive("webhook", "cluster/1")).isNotEqualTo(secret);
  }

  @Test
  void recognisesSecretsDerivedUnderARetiredKeyWhileItIsConfigured() {
    byte[] old = box("k1", Map.of("k1", KEY_1)).derive("webhook", "cluster/1");
    SecretBox rotated = box("k2", Map.of("k1", KEY_1, "k2", KEY_2));
    assertThat(rotated.isDerived("webhook", "cluster/1", old)).isTrue();
    assertThat(rotated.isDerived("webhook", "cluster/1", rotated.derive("webhook", "cluster/1")))
        .isTrue();
    assertThat(rotated.isDerived("webhook", "cluster/2", old)).isFalse();
    assertThat(box("k2", Map.of("k2", KEY_2)).isDerived("webhook", "cluster/1", old)).isFalse();
  }

  @Test
  void refusesToStartWithoutTheActiveKey() {
    assertThatThrownBy(() -> box("k9", Map.of("k1", KEY_1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("k9");
  }

  @Test
  void refusesAKeyOfTheWrongSize() {
    assertThatThrownBy(() -> box("k1", Map.of("k1", key("short"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("32 bytes");
  }

  private static SecretBox box(String active, Map<String, String> keys) {
    return new SecretBox(
        new SecretsConfig() {
          @Override
          public String activeKeyId() {
            return active;
          }

          @Override
          public Map<String, String> keys() {
            return keys;
          }
        });
  }

  private static String key(String raw) {
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }
}
