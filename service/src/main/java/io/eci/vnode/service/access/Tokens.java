package io.eci.vnode.service.access;

import java.util.Optional;

/** Checks the bearer tokens API requests present; the tenant administration implements it. */
public interface Tokens {

  /** A token that authenticated as a tenant: the tenant it acts for and the token's id. */
  record TenantToken(String tenantId, String tokenId) {}

  /** Whether {@code token} is the operator's bootstrap token. */
  boolean isOperatorToken(String token);

  /** The tenant a presented token belongs to, if it is a live tenant token. */
  Optional<TenantToken> authenticate(String token);
}
