package io.eci.vnode.service.clusterstate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/**
 * A cluster's last reported status as its tenant reads it. Read-only here: only {@link
 * ClusterStateStore} writes it, fenced by the claim epoch.
 */
@Entity
@Immutable
@Table(name = "cluster_statuses")
public class ClusterStatus {

  @Id
  @Column(name = "cluster_id")
  public UUID clusterId;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  @Column(name = "node_ready")
  public boolean nodeReady;

  @Column(name = "last_heartbeat_at")
  public Instant lastHeartbeatAt;

  public String owner;

  @Column(name = "pods_pending")
  public int podsPending;

  @Column(name = "pods_running")
  public int podsRunning;

  @Column(name = "pods_succeeded")
  public int podsSucceeded;

  @Column(name = "pods_failed")
  public int podsFailed;

  @Column(name = "last_api_error")
  public String lastApiError;

  @Column(name = "last_api_error_at")
  public Instant lastApiErrorAt;

  @Column(name = "last_eci_error")
  public String lastEciError;

  @Column(name = "last_eci_error_at")
  public Instant lastEciErrorAt;

  @Column(name = "last_eci_error_code")
  public String lastEciErrorCode;

  @Column(name = "last_eci_error_first_at")
  public Instant lastEciErrorFirstAt;

  @Column(name = "last_eci_error_count")
  public Long lastEciErrorCount;

  @Column(name = "eci_circuit_open_since")
  public Instant eciCircuitOpenSince;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** When this report stops being current: two hosting periods after it was written. */
  @Column(name = "current_until")
  public Instant currentUntil;
}
