package io.eci.vnode.service.access;

/** Who may call an endpoint. */
public enum Role {
  /**
   * The service operator, with the bootstrap token from config: administers tenants and their
   * tokens.
   */
  OPERATOR,
  /** A tenant, with one of its API tokens: sees and changes only its own clusters. */
  TENANT,
  /**
   * A cluster's in-cluster agent, with one of that cluster's agent tokens: reads that cluster's
   * configuration and reports its status, nothing else.
   */
  AGENT
}
