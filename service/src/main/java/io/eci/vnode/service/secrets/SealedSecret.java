package io.eci.vnode.service.secrets;

/**
 * A secret as stored: the id of the master key that sealed it and nonce || ciphertext || GCM tag.
 *
 * @param keyId the master key id, kept so keys can rotate
 * @param ciphertext the 12-byte nonce followed by the AES-GCM output
 */
public record SealedSecret(String keyId, byte[] ciphertext) {}
