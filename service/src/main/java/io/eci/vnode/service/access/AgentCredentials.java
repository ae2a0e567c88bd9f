package io.eci.vnode.service.access;

import java.util.Optional;
import java.util.UUID;

/** Checks the bearer tokens agents present; the agent administration implements it. */
public interface AgentCredentials {

  /** A token that authenticated as the agent of one cluster. */
  record AgentToken(String tenantId, UUID clusterId, String tokenId) {}

  /**
   * The cluster a presented token is a live agent token of: unknown, malformed and revoked tokens
   * are all empty. A revoked token is refused from the moment its revocation commits.
   */
  Optional<AgentToken> authenticate(String token);
}
