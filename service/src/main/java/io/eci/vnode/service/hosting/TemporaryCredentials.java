package io.eci.vnode.service.hosting;

import java.time.Instant;

/**
 * STS credentials of a cluster owner's RAM role, handed to the cluster's agent over its
 * authenticated channel. Never logged: {@link #toString} names only the key id.
 */
public record TemporaryCredentials(
    String accessKeyId, String accessKeySecret, String securityToken, Instant expiresAt) {

  @Override
  public String toString() {
    return "TemporaryCredentials[" + accessKeyId + " until " + expiresAt + "]";
  }
}
