package io.eci.vnode.service.access;

/** Who may call an endpoint. */
public enum Role {
  /**
   * The service operator, with the bootstrap token from config: administers tenants and their
   * tokens.
   */
  OPERATOR,
  /** A tenant, with one of its API tokens: sees and changes only its own clusters. */
  TENANT
}
