package io.eci.vnode.service.access;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.UUID;

/** Who is making the current API request, as established by {@link Authenticator}. */
@RequestScoped
public class Caller {

  private Role role;
  private String tenantId;
  private String tokenId;
  private UUID clusterId;

  void becomeOperator() {
    role = Role.OPERATOR;
  }

  void becomeTenant(String tenantId, String tokenId) {
    this.role = Role.TENANT;
    this.tenantId = tenantId;
    this.tokenId = tokenId;
  }

  void becomeAgent(String tenantId, UUID clusterId, String tokenId) {
    this.role = Role.AGENT;
    this.tenantId = tenantId;
    this.clusterId = clusterId;
    this.tokenId = tokenId;
  }

  /** The id of the token the caller presented; null for the operator. */
  public String tokenId() {
    return tokenId;
  }

  /** The cluster an agent token is of; empty for other callers. */
  public Optional<UUID> clusterId() {
    return Optional.ofNullable(clusterId);
  }

  /** The caller's role, or empty before authentication. */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  /** The tenant the caller acts for; empty for the operator. */
  public Optional<String> tenantId() {
    return Optional.ofNullable(tenantId);
  }

  /**
   * How the audit log names the caller: {@code operator}, {@code token:<id>} or {@code
   * agent-token:<id>}.
   */
  public String actor() {
    return switch (role) {
      case OPERATOR -> "operator";
      case TENANT -> "token:" + tokenId;
      case AGENT -> "agent-token:" + tokenId;
    };
  }
}
