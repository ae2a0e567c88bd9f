package io.eci.vnode.service.access;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** Who is making the current API request, as established by {@link Authenticator}. */
@RequestScoped
public class Caller {

  private Role role;
  private String tenantId;
  private String tokenId;

  void becomeOperator() {
    role = Role.OPERATOR;
  }

  void becomeTenant(String tenantId, String tokenId) {
    this.role = Role.TENANT;
    this.tenantId = tenantId;
    this.tokenId = tokenId;
  }

  /** The caller's role, or empty before authentication. */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  /** The tenant the caller acts for; empty for the operator. */
  public Optional<String> tenantId() {
    return Optional.ofNullable(tenantId);
  }

  /** How the audit log names the caller: {@code operator} or {@code token:<id>}. */
  public String actor() {
    return role == Role.OPERATOR ? "operator" : "token:" + tokenId;
  }
}
