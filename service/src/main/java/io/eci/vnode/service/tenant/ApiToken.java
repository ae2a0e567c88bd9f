package io.eci.vnode.service.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A tenant's API token as stored: its public id and the SHA-256 of its secret part. The token
 * itself is shown once, when issued, and cannot be recovered.
 */
@Entity
@Table(name = "api_tokens")
public class ApiToken {

  @Id public String id;

  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  public String description;

  @Column(name = "secret_hash", nullable = false)
  public byte[] secretHash;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;
}
