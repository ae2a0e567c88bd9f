package io.eci.vnode.sandbox.eci;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call the endpoint: long-term AccessKeys of RAM users, and the temporary credentials STS
 * AssumeRole hands out (AccessKey id {@code STS.*}, secret and SecurityToken, valid until they
 * expire).
 */
public final class Accounts {

  /** The Alibaba Cloud account (UID) every sandbox principal belongs to. */
  public static final String ACCOUNT_ID = "1234567890123456";

  private final Map<String, Principal> principals = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /**
   * An identity that can sign requests.
   *
   * @param accessKeyId the id requests name
   * @param secret the AccessKey secret that signs them
   * @param userName the RAM user (for long-term keys) or the role session (for STS credentials)
   * @param securityToken the STS token requests must carry, null for long-term keys
   * @param roleArn the assumed role, null for long-term keys
   * @param expiresAt when STS credentials stop working, null for long-term keys
   * @param policies the RAM policies attached to the user or role
   */
  public record Principal(
      String accessKeyId,
      String secret,
      String userName,
      String securityToken,
      String roleArn,
      Instant expiresAt,
      List<String> policies) {

    boolean isTemporary() {
      return securityToken != null;
    }

    @Override
    public String toString() {
      return "Principal[" + accessKeyId + ", " + userName + "]";
    }
  }

  /** The policy every sandbox user and role has unless told otherwise. */
  public static final String ECI_FULL_ACCESS = "AliyunECIFullAccess";

  /** Adds a RAM user's AccessKey with full ECI access. */
  public void addAccessKey(String accessKeyId, String secret, String userName) {
    addAccessKey(accessKeyId, secret, userName, List.of(ECI_FULL_ACCESS));
  }

  /** Adds a RAM user's AccessKey with exactly these policies attached. */
  public void addAccessKey(
      String accessKeyId, String secret, String userName, List<String> policies) {
    principals.put(
        accessKeyId,
        new Principal(accessKeyId, secret, userName, null, null, null, List.copyOf(policies)));
  }

  /** The principal of a RAM user by name, if any key belongs to it. */
  Optional<Principal> findUser(String userName) {
    return principals.values().stream()
        .filter(p -> !p.isTemporary() && p.userName().equals(userName))
        .findFirst();
  }

  /** The principal behind an AccessKey id, if it exists. */
  Optional<Principal> find(String accessKeyId) {
    return Optional.ofNullable(principals.get(accessKeyId));
  }

  /** Issues temporary credentials for a role, as STS AssumeRole does. */
  Principal assumeRole(String roleArn, String sessionName, Duration lifetime, Instant now) {
    Principal temporary =
        new Principal(
            "STS." + hex(12),
            hex(20),
            sessionName,
            "sandbox-sts-token-" + hex(24),
            roleArn,
            now.plus(lifetime),
            List.of(ECI_FULL_ACCESS));
    principals.put(temporary.accessKeyId(), temporary);
    return temporary;
  }

  private String hex(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return HexFormat.of().formatHex(raw);
  }
}
