package io.eci.vnode.engine.config;

/** How the virtual node authenticates to ECI. */
public sealed interface EciCredentials {

  /** A RAM user's AccessKey pair. */
  record AccessKey(String id, String secret) implements EciCredentials {
    @Override
    public String toString() {
      return "AccessKey[" + id + "]";
    }
  }

  /** Temporary credentials obtained through STS AssumeRole, renewed before they expire. */
  record StsToken(String accessKeyId, String accessKeySecret, String securityToken)
      implements EciCredentials {
    @Override
    public String toString() {
      return "StsToken[" + accessKeyId + "]";
    }
  }
}
