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

  /**
   * A RAM role of the cluster owner's account that a host assumes through STS AssumeRole: the
   * engine is handed an ECI client that signs with the role's temporary credentials and renews them
   * before they expire; the engine itself never sees a secret.
   */
  record RamRole(String roleArn) implements EciCredentials {}

  /** Temporary credentials obtained through STS AssumeRole, renewed before they expire. */
  record StsToken(String accessKeyId, String accessKeySecret, String securityToken)
      implements EciCredentials {
    @Override
    public String toString() {
      return "StsToken[" + accessKeyId + "]";
    }
  }
}
