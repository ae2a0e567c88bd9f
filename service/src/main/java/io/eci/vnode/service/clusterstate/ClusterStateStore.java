package io.eci.vnode.service.clusterstate;

import io.eci.vnode.service.claims.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Writes what hosted engines report — cluster statuses and the pod ledger — across all tenants, in
 * batches: one statement per call, however many clusters and pods it carries. Every row is fenced
 * by its claim epoch: rows of a cluster whose epoch is no longer current (claimed by another
 * replica, released, switched to unmanaged, deleted) are dropped and the cluster is reported back.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class ClusterStateStore {

  // The fence locks the clusters rows (key share) and then the claim rows (share), each in id
  // order:
  // a concurrent claim, mode change or deletion of the cluster waits for this write or makes it
  // drop the rows, never interleaves with it, and the fixed order rules out deadlocks with
  // ClaimStore's renewals and releases and with the cascade of a cluster's deletion.
  private static final String FENCE =
      """
      alive AS (
          SELECT id FROM clusters WHERE id IN (SELECT cluster_id FROM input) ORDER BY id FOR KEY SHARE
      ), fence AS (
          SELECT k.cluster_id, k.epoch, k.tenant_id, k.owner FROM cluster_claims k
           WHERE k.cluster_id IN (SELECT id FROM alive)
             AND (k.cluster_id, k.epoch) IN (SELECT cluster_id, epoch FROM input)
             AND k.owner IS NOT NULL
           ORDER BY k.cluster_id FOR SHARE
      )""";

  private static final String WRITE_STATUSES =
      """
      WITH input AS (
          SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::boolean[], ?::timestamptz[],
                               ?::int[], ?::int[], ?::int[], ?::int[],
                               ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[],
                               ?::text[], ?::timestamptz[], ?::int8[], ?::timestamptz[])
              AS i(cluster_id, epoch, node_ready, last_heartbeat_at,
                   pods_pending, pods_running, pods_succeeded, pods_failed,
                   last_api_error, last_api_error_at, last_eci_error, last_eci_error_at,
                   last_eci_error_code, last_eci_error_first_at, last_eci_error_count,
                   eci_circuit_open_since)
      ),"""
          + FENCE
          + """
          , written AS (
              INSERT INTO cluster_statuses (cluster_id, tenant_id, owner, node_ready, last_heartbeat_at,
                      pods_pending, pods_running, pods_succeeded, pods_failed,
                      last_api_error, last_api_error_at, last_eci_error, last_eci_error_at,
                      last_eci_error_code, last_eci_error_first_at, last_eci_error_count,
                      eci_circuit_open_since, updated_at, current_until)
              SELECT i.cluster_id, f.tenant_id, f.owner, i.node_ready, i.last_heartbeat_at,
                     i.pods_pending, i.pods_running, i.pods_succeeded, i.pods_failed,
                     i.last_api_error, i.last_api_error_at, i.last_eci_error, i.last_eci_error_at,
                     i.last_eci_error_code, i.last_eci_error_first_at, i.last_eci_error_count,
                     i.eci_circuit_open_since, now(), now() + ?::interval
                FROM input i JOIN fence f ON f.cluster_id = i.cluster_id AND f.epoch = i.epoch
              ON CONFLICT (cluster_id) DO UPDATE SET
                     owner = EXCLUDED.owner,
                     node_ready = EXCLUDED.node_ready,
                     last_heartbeat_at = EXCLUDED.last_heartbeat_at,
                     pods_pending = EXCLUDED.pods_pending,
                     pods_running = EXCLUDED.pods_running,
                     pods_succeeded = EXCLUDED.pods_succeeded,
                     pods_failed = EXCLUDED.pods_failed,
                     last_api_error = EXCLUDED.last_api_error,
                     last_api_error_at = EXCLUDED.last_api_error_at,
                     last_eci_error = EXCLUDED.last_eci_error,
                     last_eci_error_at = EXCLUDED.last_eci_error_at,
                     last_eci_error_code = EXCLUDED.last_eci_error_code,
                     last_eci_error_first_at = EXCLUDED.last_eci_error_first_at,
                     last_eci_error_count = EXCLUDED.last_eci_error_count,
                     eci_circuit_open_since = EXCLUDED.eci_circuit_open_since,
                     updated_at = EXCLUDED.updated_at,
                     current_until = EXCLUDED.current_until
              RETURNING 1
          )
          SELECT f.cluster_id, f.epoch, (SELECT count(*) FROM written) FROM fence f
          """;

  // A ledger row keeps what it once knew (instance, zone, deletion time) and is rewritten only
  // when something changed, so periodic full reports cost no dead tuples.
  private static final String WRITE_PODS =
      """
      WITH input AS (
          SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                               ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
              AS i(cluster_id, epoch, pod_uid, namespace, name,
                   instance_id, zone, phase, created_at, deleted_at)
      ),"""
          + FENCE
          + """
          , written AS (
              INSERT INTO cluster_pods AS p (cluster_id, tenant_id, pod_uid, namespace, name,
                      instance_id, zone, phase, created_at, deleted_at, updated_at)
              SELECT i.cluster_id, f.tenant_id, i.pod_uid, i.namespace, i.name,
                     i.instance_id, i.zone, i.phase, i.created_at, i.deleted_at, now()
                FROM input i JOIN fence f ON f.cluster_id = i.cluster_id AND f.epoch = i.epoch
              ON CONFLICT (cluster_id, pod_uid) DO UPDATE SET
                     instance_id = coalesce(EXCLUDED.instance_id, p.instance_id),
                     zone = coalesce(EXCLUDED.zone, p.zone),
                     phase = EXCLUDED.phase,
                     deleted_at = coalesce(p.deleted_at, EXCLUDED.deleted_at),
                     updated_at = EXCLUDED.updated_at
               WHERE (p.instance_id, p.zone, p.phase, p.deleted_at) IS DISTINCT FROM
                     (coalesce(EXCLUDED.instance_id, p.instance_id), coalesce(EXCLUDED.zone, p.zone),
                      EXCLUDED.phase, coalesce(p.deleted_at, EXCLUDED.deleted_at))
              RETURNING 1
          )
          SELECT f.cluster_id, f.epoch, (SELECT count(*) FROM written) FROM fence f
          """;

  private final DataSource db;
  private final Handoffs handoffs;

  ClusterStateStore(DataSource db, Handoffs handoffs) {
    this.db = db;
    this.handoffs = handoffs;
  }

  /**
   * These clusters' engines on {@code replica} hold their ownership Leases: a switch of any of them
   * to managed is over (and audited).
   */
  public void engineTookOver(Collection<UUID> clusterIds, String replica) {
    handoffs.managedTookOver(clusterIds, replica);
  }

  /** How long a status stays current by default: two of the default 5 s hosting periods. */
  public static final Duration CURRENT_FOR = Duration.ofSeconds(10);

  /** {@link #writeStatuses(List, Duration)}, current for {@link #CURRENT_FOR}. */
  public Written writeStatuses(List<StatusRow> rows) {
    return writeStatuses(rows, CURRENT_FOR);
  }

  /**
   * Writes these statuses in one statement, the last row winning for a cluster given twice.
   *
   * @param currentFor how long the statuses stay current; after that the API calls them stale
   * @return how many were written, and the clusters whose rows were dropped by the fence
   */
  public Written writeStatuses(List<StatusRow> rows, Duration currentFor) {
    Collection<StatusRow> latest = lastPerKey(rows, StatusRow::clusterId);
    if (latest.isEmpty()) {
      return new Written(0, Set.of());
    }
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(WRITE_STATUSES)) {
      Columns<StatusRow> columns = new Columns<>(c, latest);
      s.setArray(1, columns.of("uuid", StatusRow::clusterId));
      s.setArray(2, columns.of("int8", StatusRow::epoch));
      s.setArray(3, columns.of("bool", StatusRow::nodeReady));
      s.setArray(4, columns.ofTimes(StatusRow::lastHeartbeatAt));
      s.setArray(5, columns.of("int4", r -> r.pods().pending()));
      s.setArray(6, columns.of("int4", r -> r.pods().running()));
      s.setArray(7, columns.of("int4", r -> r.pods().succeeded()));
      s.setArray(8, columns.of("int4", r -> r.pods().failed()));
      s.setArray(9, columns.of("text", r -> r.lastApiError().map(LastError::message).orElse(null)));
      s.setArray(10, columns.ofTimes(r -> r.lastApiError().map(LastError::at).orElse(null)));
      s.setArray(
          11, columns.of("text", r -> r.lastEciError().map(LastError::message).orElse(null)));
      s.setArray(12, columns.ofTimes(r -> r.lastEciError().map(LastError::at).orElse(null)));
      s.setArray(13, columns.of("text", r -> r.lastEciError().map(LastError::code).orElse(null)));
      s.setArray(
          14, columns.ofTimes(r -> r.lastEciError().map(LastError::firstSeenAt).orElse(null)));
      s.setArray(15, columns.of("int8", r -> r.lastEciError().map(LastError::count).orElse(null)));
      s.setArray(
          16, columns.ofTimes(r -> r.lastEciError().map(LastError::circuitOpenSince).orElse(null)));
      s.setString(17, currentFor.toMillis() + " milliseconds");
      return written(s, latest, StatusRow::clusterId, StatusRow::epoch);
    } catch (SQLException e) {
      throw new StoreException("writing " + latest.size() + " cluster statuses", e);
    }
  }

  /**
   * Writes these ledger rows in one statement, the last row winning for a pod given twice.
   *
   * @return how many were inserted or changed, and the clusters whose rows were dropped by the
   *     fence
   */
  public Written writePods(List<PodRow> rows) {
    Collection<PodRow> latest = lastPerKey(rows, r -> r.clusterId() + "/" + r.podUid());
    if (latest.isEmpty()) {
      return new Written(0, Set.of());
    }
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(WRITE_PODS)) {
      Columns<PodRow> columns = new Columns<>(c, latest);
      s.setArray(1, columns.of("uuid", PodRow::clusterId));
      s.setArray(2, columns.of("int8", PodRow::epoch));
      s.setArray(3, columns.of("text", PodRow::podUid));
      s.setArray(4, columns.of("text", PodRow::namespace));
      s.setArray(5, columns.of("text", PodRow::name));
      s.setArray(6, columns.of("text", PodRow::instanceId));
      s.setArray(7, columns.of("text", PodRow::zone));
      s.setArray(8, columns.of("text", r -> r.phase().wire()));
      s.setArray(9, columns.ofTimes(PodRow::createdAt));
      s.setArray(10, columns.ofTimes(PodRow::deletedAt));
      return written(s, latest, PodRow::clusterId, PodRow::epoch);
    } catch (SQLException e) {
      throw new StoreException("writing " + latest.size() + " pod ledger rows", e);
    }
  }

  /**
   * Runs a fenced write; every input cluster whose (id, epoch) the fence did not pass is fenced.
   */
  private static <R> Written written(
      PreparedStatement s, Collection<R> rows, Function<R, UUID> clusterId, Function<R, Long> epoch)
      throws SQLException {
    Set<String> passed = new HashSet<>();
    int count = 0;
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        passed.add(rs.getObject(1, UUID.class) + "@" + rs.getLong(2));
        count = rs.getInt(3);
      }
    }
    Set<UUID> fenced = new HashSet<>();
    for (R row : rows) {
      if (!passed.contains(clusterId.apply(row) + "@" + epoch.apply(row))) {
        fenced.add(clusterId.apply(row));
      }
    }
    return new Written(count, Set.copyOf(fenced));
  }

  /** One upsert cannot change a row twice, so a batch keeps only the last row per key, in order. */
  private static <R> Collection<R> lastPerKey(List<R> rows, Function<R, ?> key) {
    Map<Object, R> latest = new LinkedHashMap<>();
    for (R row : rows) {
      latest.remove(key.apply(row));
      latest.put(key.apply(row), row);
    }
    return latest.values();
  }

  /** The rows of a batch turned column by column into SQL arrays for {@code unnest}. */
  private record Columns<R>(Connection connection, Collection<R> rows) {

    Array of(String sqlType, Function<R, ?> field) throws SQLException {
      return connection.createArrayOf(sqlType, rows.stream().map(field).toArray());
    }

    Array ofTimes(Function<R, Instant> field) throws SQLException {
      return of("timestamptz", r -> field.apply(r) == null ? null : field.apply(r).toString());
    }
  }
}
