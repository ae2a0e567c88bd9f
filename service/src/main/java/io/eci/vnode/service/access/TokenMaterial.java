package io.eci.vnode.service.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The shape every bearer token of the service has: {@code <prefix><id>_<secret>}. The id finds the
 * stored row, the secret is kept only as its SHA-256 and compared in constant time, so a leaked
 * table gives no token away.
 */
public final class TokenMaterial {

  /** A token taken apart. */
  public record Parts(String id, String secret) {}

  private static final int ID_LENGTH = 16;
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;

  /**
   * @param prefix what tokens of this kind start with, e.g. {@code vnt_}
   */
  public TokenMaterial(String prefix) {
    this.prefix = prefix;
  }

  /** A new random id. */
  public String newId() {
    char[] id = new char[ID_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
    }
    return new String(id);
  }

  /** A new random secret part, 256 bits. */
  public String newSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The token shown once to whoever it is issued to. */
  public String token(String id, String secret) {
    return prefix + id + "_" + secret;
  }

  /** The id and secret of a token of this kind; empty for anything else. */
  public Optional<Parts> parse(String token) {
    if (!token.startsWith(prefix) || token.length() < prefix.length() + ID_LENGTH + 2) {
      return Optional.empty();
    }
    return Optional.of(
        new Parts(
            token.substring(prefix.length(), prefix.length() + ID_LENGTH),
            token.substring(prefix.length() + ID_LENGTH + 1)));
  }

  /** Whether {@code secret} is the one {@code storedHash} was made of, in constant time. */
  public static boolean matches(byte[] storedHash, String secret) {
    return MessageDigest.isEqual(storedHash, sha256(secret));
  }

  /** The SHA-256 of a value, as stored. */
  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
