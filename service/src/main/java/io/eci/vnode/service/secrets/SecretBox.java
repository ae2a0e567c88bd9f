package io.eci.vnode.service.secrets;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM under the configured master keys. The caller passes a
 * context (for example "cluster/{id}/api-credentials") that is bound into the tag as associated
 * data, so a ciphertext copied to another row or column does not open. It also derives secrets that
 * need not be stored at all: a keyed digest of a name, which only a holder of a master key can
 * compute.
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

  /**
   * The derived secret of {@code name} for {@code purpose}, under the active master key: an
   * HMAC-SHA256 of the name, keyed by an HMAC of the purpose under the master key, so the same name
   * has unrelated secrets for different purposes and the master key itself is never used as a MAC
   * key. The same arguments give the same secret until the active key changes.
   */
  public byte[] derive(String purpose, String name) {
    return derive(activeKeyId, purpose, name);
  }

  /**
   * Whether {@code offered} is the derived secret of {@code name} for {@code purpose} under any
   * configured master key (so secrets derived before a key rotation stay valid while the retired
   * key is configured), compared in constant time.
   */
  public boolean isDerived(String purpose, String name, byte[] offered) {
    boolean matched = false;
    for (String keyId : keys.keySet()) {
      // Every key is tried, matched or not: the time taken says nothing about which one matched.
      matched |= MessageDigest.isEqual(derive(keyId, purpose, name), offered);
    }
    return matched;
  }

  private byte[] derive(String keyId, String purpose, String name) {
    byte[] purposeKey = hmac(keys.get(keyId).getEncoded(), bytes(purpose));
    return hmac(purposeKey, bytes(name));
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
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
