package io.eci.vnode.service.clusterstate;

import io.eci.vnode.service.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A cluster's switches of mode. A switch begins with the PATCH that changes the mode and ends when
 * the side now in charge holds the cluster's ownership Lease: a service replica's engine (managed)
 * or the cluster's agent (unmanaged) — the Lease is the fence, never a timer. The end is audited
 * with who switched and how long it took.
 */
@ApplicationScoped
public class Handoffs {

  private static final String FINISHED =
      " RETURNING cluster_id, tenant_id, requested_by, started_at, finished_at";

  private final EntityManager em;
  private final AuditLog audit;

  Handoffs(EntityManager em, AuditLog audit) {
    this.em = em;
    this.audit = audit;
  }

  /** The cluster switches to {@code toMode} now, at {@code actor}'s request. */
  @Transactional(TxType.MANDATORY)
  public void begin(String tenantId, UUID clusterId, String toMode, String actor) {
    em.createNativeQuery(
            "INSERT INTO cluster_handoffs (cluster_id, tenant_id, to_mode, requested_by,"
                + " started_at) VALUES (?1, ?2, ?3, ?4, now()) ON CONFLICT (cluster_id) DO UPDATE"
                + " SET to_mode = EXCLUDED.to_mode, requested_by = EXCLUDED.requested_by,"
                + " started_at = EXCLUDED.started_at, finished_at = NULL")
        .setParameter(1, clusterId)
        .setParameter(2, tenantId)
        .setParameter(3, toMode)
        .setParameter(4, actor)
        .executeUpdate();
  }

  /**
   * These clusters' engines hold their ownership Leases: a switch to managed of any of them is
   * over. One statement, cheap when none is under way (a partial index).
   */
  @Transactional
  // Called by the hosting loop, which has no request: Hibernate's tenant resolver needs one.
  @ActivateRequestContext
  public void managedTookOver(Collection<UUID> clusterIds, String replica) {
    if (clusterIds.isEmpty()) {
      return;
    }
    List<?> rows =
        em.createNativeQuery(
                "UPDATE cluster_handoffs SET finished_at = clock_timestamp()"
                    + " WHERE finished_at IS NULL AND to_mode = 'managed'"
                    + " AND cluster_id IN (?1)"
                    + FINISHED)
            .setParameter(1, clusterIds)
            .getResultList();
    rows.forEach(r -> audited((Object[]) r, "managed", replica));
  }

  /**
   * The cluster's agent {@code holder} holds its ownership Lease: a switch to unmanaged is over.
   */
  @Transactional(TxType.MANDATORY)
  public void agentTookOver(UUID clusterId, String holder) {
    List<?> rows =
        em.createNativeQuery(
                "UPDATE cluster_handoffs SET finished_at = clock_timestamp()"
                    + " WHERE finished_at IS NULL AND to_mode = 'unmanaged' AND cluster_id = ?1"
                    + FINISHED)
            .setParameter(1, clusterId)
            .getResultList();
    rows.forEach(r -> audited((Object[]) r, "unmanaged", holder));
  }

  /** The cluster's last switch of mode, if it ever switched. */
  @Transactional(TxType.MANDATORY)
  public Optional<StatusView.HandoffView> last(UUID clusterId) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT to_mode, requested_by, started_at, finished_at FROM cluster_handoffs"
                    + " WHERE cluster_id = ?1")
            .setParameter(1, clusterId)
            .getResultList();
    return rows.stream()
        .map(Object[].class::cast)
        .map(
            r -> {
              Instant started = instant(r[2]);
              Instant finished = instant(r[3]);
              return new StatusView.HandoffView(
                  (String) r[0],
                  (String) r[1],
                  started,
                  finished,
                  finished == null ? null : Duration.between(started, finished).toMillis());
            })
        .findFirst();
  }

  private void audited(Object[] row, String toMode, String tookOverBy) {
    Instant started = instant(row[3]);
    Instant finished = instant(row[4]);
    audit.record(
        (String) row[1],
        (String) row[2],
        "cluster.handoff-finished",
        "cluster",
        row[0].toString(),
        Map.of(
            "toMode",
            toMode,
            "tookOverBy",
            tookOverBy,
            "startedAt",
            started.toString(),
            "durationMillis",
            Duration.between(started, finished).toMillis()));
  }

  /** A timestamp as the driver hands it back. */
  public static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return (Instant) value;
  }
}
