package io.eci.vnode.service.claims;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The deregistrations under way, in the database so that any replica resumes them after a restart.
 * Marking a cluster deregistering revokes its claim (the trigger {@code clusters_claim_row} makes
 * it unclaimable and bumps the epoch, which fences out the engine's writes); a replica then takes
 * one due deregistration at a time for a while, does one step, and gives it back with when to try
 * again. Each method is one statement that commits on its own.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Deregistrations {

  /** A deregistration as a worker takes it. */
  public record Job(
      UUID clusterId,
      String tenantId,
      String requestedBy,
      boolean wasHosted,
      boolean keepPods,
      int attempts,
      Instant since) {}

  /** What the owner sees of a deregistration under way. */
  public record Progress(
      Instant since,
      int attempts,
      String progress,
      String lastError,
      Instant lastErrorAt,
      Instant nextAttemptAt) {}

  // The sub-select reads the claim as it was before this statement: the trigger's epoch bump comes
  // after it.
  private static final String BEGIN =
      """
      WITH marked AS (
          UPDATE clusters SET deregistering_since = coalesce(deregistering_since, now())
           WHERE id = ? RETURNING id, tenant_id, deregistering_since
      ), queued AS (
          INSERT INTO cluster_deregistrations (cluster_id, tenant_id, requested_by, was_hosted, keep_pods)
          SELECT m.id, m.tenant_id, ?, coalesce((SELECT k.epoch > 0 FROM cluster_claims k
                                                  WHERE k.cluster_id = m.id), false), ?
            FROM marked m
          ON CONFLICT (cluster_id) DO NOTHING
      )
      SELECT deregistering_since FROM marked
      """;

  private static final String TAKE =
      """
      UPDATE cluster_deregistrations d SET worker = ?, worker_until = now() + ?::interval
        FROM clusters x
       WHERE x.id = d.cluster_id
         AND d.cluster_id = (SELECT cluster_id FROM cluster_deregistrations
                              WHERE next_attempt_at <= now()
                                AND (worker_until IS NULL OR worker_until < now())
                              ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING d.cluster_id, d.tenant_id, d.requested_by, d.was_hosted, d.keep_pods, d.attempts,
                x.deregistering_since
      """;

  private static final String STEPPED =
      """
      UPDATE cluster_deregistrations
         SET worker = NULL, worker_until = NULL, progress = ?,
             next_attempt_at = now() + ?::interval
       WHERE cluster_id = ?
      """;

  private static final String FAILED =
      """
      UPDATE cluster_deregistrations
         SET worker = NULL, worker_until = NULL, attempts = attempts + 1, progress = ?,
             last_error = ?, last_error_at = now(), next_attempt_at = now() + ?::interval
       WHERE cluster_id = ?
      """;

  private static final String CALL_OFF =
      """
      WITH gone AS (DELETE FROM cluster_deregistrations WHERE cluster_id = ? RETURNING cluster_id)
      UPDATE clusters SET deregistering_since = NULL WHERE id IN (SELECT cluster_id FROM gone)
      """;

  private static final String PROGRESS =
      """
      SELECT x.deregistering_since, d.attempts, d.progress, d.last_error, d.last_error_at,
             d.next_attempt_at
        FROM cluster_deregistrations d JOIN clusters x ON x.id = d.cluster_id
       WHERE d.cluster_id = ?
      """;

  private static final String IS_REPLICA = "SELECT 1 FROM service_replicas WHERE name = ?";

  private static final String LEDGER =
      """
      SELECT instance_id, namespace, name, pod_uid FROM cluster_pods
       WHERE cluster_id = ? AND instance_id IS NOT NULL AND deleted_at IS NULL
       ORDER BY namespace, name
      """;

  /** An instance the pod ledger says a pod still runs as. */
  public record LedgerInstance(
      String instanceId, String namespace, String podName, String podUid) {}

  private final Sql sql;

  Deregistrations(DataSource db) {
    this.sql = new Sql(db);
  }

  /**
   * Marks the cluster deregistering, if it is not yet, and queues its deregistration.
   *
   * @return since when it is being deregistered, or empty if it is not registered
   */
  public Optional<Instant> begin(UUID clusterId, String requestedBy, boolean keepPods) {
    return sql.run(
        BEGIN,
        "marking " + clusterId + " deregistering",
        (c, s) -> {
          s.setObject(1, clusterId);
          s.setString(2, requestedBy);
          s.setBoolean(3, keepPods);
          try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(r.getTimestamp(1).toInstant()) : Optional.empty();
          }
        });
  }

  /** Takes one due deregistration for {@code hold}, unless another worker holds it. */
  public Optional<Job> take(String worker, Duration hold) {
    return sql.run(
        TAKE,
        "taking a deregistration",
        (c, s) -> {
          s.setString(1, worker);
          s.setString(2, interval(hold));
          try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new Job(
                    r.getObject(1, UUID.class),
                    r.getString(2),
                    r.getString(3),
                    r.getBoolean(4),
                    r.getBoolean(5),
                    r.getInt(6),
                    r.getTimestamp(7).toInstant()));
          }
        });
  }

  /** Gives a deregistration back after a step that went as planned: it goes on {@code after}. */
  public void stepped(UUID clusterId, String progress, Duration after) {
    sql.run(
        STEPPED,
        "recording a deregistration step of " + clusterId,
        (c, s) -> {
          s.setString(1, progress);
          s.setString(2, interval(after));
          s.setObject(3, clusterId);
          return s.executeUpdate();
        });
  }

  /** Gives a deregistration back after a step that failed: it is retried {@code after}. */
  public void failed(UUID clusterId, String progress, String error, Duration after) {
    sql.run(
        FAILED,
        "recording a failed deregistration step of " + clusterId,
        (c, s) -> {
          s.setString(1, progress);
          s.setString(2, error);
          s.setString(3, interval(after));
          s.setObject(4, clusterId);
          return s.executeUpdate();
        });
  }

  /**
   * Calls the deregistration off: the cluster is registered and, if managed and not paused,
   * claimable again.
   */
  public void callOff(UUID clusterId) {
    sql.run(
        CALL_OFF,
        "calling off the deregistration of " + clusterId,
        (c, s) -> {
          s.setObject(1, clusterId);
          return s.executeUpdate();
        });
  }

  /** The deregistration of the cluster under way, if any; the caller checked the tenant. */
  public Optional<Progress> progress(UUID clusterId) {
    return sql.run(
        PROGRESS,
        "reading the deregistration of " + clusterId,
        (c, s) -> {
          s.setObject(1, clusterId);
          try (ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new Progress(
                    r.getTimestamp(1).toInstant(),
                    r.getInt(2),
                    r.getString(3),
                    r.getString(4),
                    instant(r.getTimestamp(5)),
                    r.getTimestamp(6).toInstant()));
          }
        });
  }

  /** Whether {@code name} is (or was) a replica of this service. */
  public boolean isReplica(String name) {
    return sql.run(
        IS_REPLICA,
        "looking up replica " + name,
        (c, s) -> {
          s.setString(1, name);
          try (ResultSet r = s.executeQuery()) {
            return r.next();
          }
        });
  }

  /** The instances the cluster's pod ledger says its pods not yet deleted run as. */
  public List<LedgerInstance> ledgerInstances(UUID clusterId) {
    return sql.run(
        LEDGER,
        "reading the pod ledger of " + clusterId,
        (c, s) -> {
          s.setObject(1, clusterId);
          List<LedgerInstance> found = new ArrayList<>();
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(
                  new LedgerInstance(
                      r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
            }
          }
          return found;
        });
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static String interval(Duration d) {
    return d.toMillis() + " milliseconds";
  }
}
