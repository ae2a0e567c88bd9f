package io.eci.vnode.service.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** One audit entry as a tenant reads it. */
@Entity
@Table(name = "audit_log")
public class AuditEntry {

  @Id public Long id;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  public String actor;
  public String action;

  @Column(name = "target_type")
  public String targetType;

  @Column(name = "target_id")
  public String targetId;

  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> details;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "occurred_at")
  public Instant occurredAt;
}
