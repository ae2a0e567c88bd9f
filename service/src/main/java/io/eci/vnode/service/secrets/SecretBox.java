package io.eci.vnode.service.secrets;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM under the configured master keys. The caller passes a
 * context (for example "cluster/{id}/api-credentials") that is bound into the tag as associated
 * data, so a ciphertext copied to another row or column does not open.
 */
@ApplicationScoped
@Startup // a misconfigured key must stop the service at boot, not at the first registration
public class SecretBox {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, SecretKey> keys = new HashMap<>();
  private final String activeKeyId;

  SecretBox(SecretsConfig config) {
    config.keys().forEach((id, base64) -> keys.put(id, decodeKey(id, base64)));
    if (!keys.containsKey(config.activeKeyId())) {
      throw new IllegalStateException(
          "vnode.secrets.active-key-id '"
              + config.activeKeyId()
              + "' names no key in vnode.secrets.keys (configured ids: "
              + keys.keySet()
              + ")");
    }
    this.activeKeyId = config.activeKeyId();
  }

  /** Seals a secret under the active key, bound to its context. */
  public SealedSecret seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, activeKeyId, nonce, context, bytes(plaintext));
    return new SealedSecret(
        activeKeyId,
        ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
  }

  /**
   * Opens a secret sealed by {@link #seal} with the same context; fails if it was tampered with.
   */
  public String open(SealedSecret secret, String context) {
    if (!keys.containsKey(secret.keyId())) {
      throw new IllegalStateException(
          "a stored secret is sealed with master key '"
              + secret.keyId()
              + "', which is not configured");
    }
    ByteBuffer in = ByteBuffer.wrap(secret.ciphertext());
    byte[] nonce = new byte[NONCE_BYTES];
    in.get(nonce);
    byte[] body = new byte[in.remaining()];
    in.get(body);
    return new String(
        crypt(Cipher.DECRYPT_MODE, secret.keyId(), nonce, context, body), StandardCharsets.UTF_8);
  }

  private byte[] crypt(int mode, String keyId, byte[] nonce, String context, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(bytes(context));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // The message of a failed decryption says nothing about the plaintext, so it is safe to
      // carry.
      throw new IllegalStateException("AES-GCM failed for a secret sealed with key " + keyId, e);
    }
  }

  private static SecretKey decodeKey(String id, String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("vnode.secrets.keys." + id + " is not base64", e);
    }
    if (raw.length != 32) {
      throw new IllegalStateException(
          "vnode.secrets.keys." + id + " must be 32 bytes (AES-256), found " + raw.length);
    }
    return new SecretKeySpec(raw, "AES");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
