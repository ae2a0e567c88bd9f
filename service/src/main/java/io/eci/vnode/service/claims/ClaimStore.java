package io.eci.vnode.service.claims;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Postgres row leases on managed clusters (table {@code cluster_claims}), across all tenants. Every
 * method is one SQL statement that commits on its own, so what it did is visible to every replica
 * when it returns. Expiry is judged by the database's clock, never a replica's.
 *
 * <p>No Java code creates a claim row: the database trigger {@code clusters_claim_row} (function
 * {@code cluster_claims_follow_mode}, migrations V2 to V4 in {@code db/}) inserts one with every
 * {@code clusters} row and, when the cluster's mode or pause changes, revokes any claim (bumping
 * the epoch) and recomputes whether it is claimable. That rule, "managed and not paused", lives in
 * one place, the SQL function {@code cluster_is_claimable} (V4), which the trigger and {@link
 * Revocations#restore} call; the column {@code managed} holds its result, and every query here
 * reads the column. {@link Revocations} holds the owner's side: a deregistration's revocation, and
 * why a cluster is no longer hostable.
 *
 * <p>A hosting loop, once per period: {@link #renew} (keeps the replica alive and its claims), then
 * {@link #census} for the fair share, then {@link #claim}; a replica above its fair share stops the
 * engines of its excess clusters and {@link #release}s them.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class ClaimStore {

  // Locks are always taken in cluster_id order (here and in ClusterStateStore) so that a renewal,
  // a release and a fenced write of the same replica cannot deadlock; claims skip locked rows.
  private static final String CLAIM =
      """
      WITH held AS (
          SELECT count(*) AS n FROM cluster_claims WHERE owner = ?
      ), picked AS (
          SELECT cluster_id FROM cluster_claims
           WHERE managed AND (expires_at IS NULL OR expires_at <= now())
             AND owner IS DISTINCT FROM ?
           ORDER BY expires_at NULLS FIRST, cluster_id
           LIMIT greatest(0, ? - (SELECT n FROM held))
             FOR UPDATE SKIP LOCKED
      )
      UPDATE cluster_claims k
         SET owner = ?, epoch = k.epoch + 1, expires_at = now() + ? * interval '1 millisecond'
        FROM picked
       WHERE k.cluster_id = picked.cluster_id
      RETURNING k.cluster_id, k.tenant_id, k.epoch
      """;

  private static final String RECLAIM =
      """
      WITH mine AS (
          SELECT cluster_id FROM cluster_claims
           WHERE owner = ? AND managed
           ORDER BY cluster_id FOR UPDATE
      )
      UPDATE cluster_claims k
         SET epoch = k.epoch + 1, expires_at = now() + ? * interval '1 millisecond'
        FROM mine
       WHERE k.cluster_id = mine.cluster_id
      RETURNING k.cluster_id, k.tenant_id, k.epoch
      """;

  private static final String RENEW =
      """
      WITH alive AS (
          INSERT INTO service_replicas (name, started_at, renewed_at, expires_at)
          VALUES (?, now(), now(), now() + ? * interval '1 millisecond')
          ON CONFLICT (name) DO UPDATE
             SET renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
      ), mine AS (
          SELECT cluster_id FROM cluster_claims WHERE owner = ? ORDER BY cluster_id FOR UPDATE
      )
      UPDATE cluster_claims k
         SET expires_at = now() + ? * interval '1 millisecond'
        FROM mine
       WHERE k.cluster_id = mine.cluster_id
      """;

  private static final String RELEASE =
      """
      WITH mine AS (
          SELECT cluster_id FROM cluster_claims
           WHERE owner = ? AND cluster_id = ANY (?)
           ORDER BY cluster_id FOR UPDATE
      )
      UPDATE cluster_claims k SET owner = NULL, expires_at = NULL
        FROM mine
       WHERE k.cluster_id = mine.cluster_id
      """;

  private static final String RETIRE =
      """
      WITH gone AS (
          DELETE FROM service_replicas WHERE name = ?
      ), mine AS (
          SELECT cluster_id FROM cluster_claims WHERE owner = ? ORDER BY cluster_id FOR UPDATE
      )
      UPDATE cluster_claims k SET owner = NULL, expires_at = NULL
        FROM mine
       WHERE k.cluster_id = mine.cluster_id
      """;

  private static final String OWNED =
      "SELECT cluster_id, tenant_id, epoch FROM cluster_claims WHERE owner = ? ORDER BY cluster_id";

  private static final String CURRENT =
      "SELECT 1 FROM cluster_claims WHERE cluster_id = ? AND epoch = ? AND owner IS NOT NULL";

  private static final String CENSUS =
      """
      SELECT (SELECT count(*) FROM service_replicas WHERE expires_at > now()),
             (SELECT count(*) FROM cluster_claims WHERE managed)
      """;

  private final Sql sql;

  ClaimStore(DataSource db) {
    this.sql = new Sql(db);
  }

  /**
   * Claims managed clusters that are unclaimed or whose claim expired, until {@code replica} holds
   * {@code fairShare}, for {@code lease}; clusters other replicas are claiming at the same moment
   * are skipped, not waited for.
   *
   * @return the clusters newly claimed, each with its new epoch
   */
  public List<Claim> claim(String replica, int fairShare, Duration lease) {
    return sql.run(
        CLAIM,
        "claiming clusters for " + replica,
        (c, s) -> {
          s.setString(1, replica);
          s.setString(2, replica);
          s.setInt(3, fairShare);
          s.setString(4, replica);
          s.setLong(5, millis(lease));
          return claims(s);
        });
  }

  /**
   * Takes back, at once and in a new tenure, the managed clusters still claimed by {@code replica}:
   * what a replica does when it starts, since a claim of its own name can only be left by its
   * previous run (killed before it could release them). The bumped epoch fences that run, should it
   * somehow still live.
   *
   * @return the clusters taken back, each with its new epoch
   */
  public List<Claim> reclaim(String replica, Duration lease) {
    return sql.run(
        RECLAIM,
        "taking back the claims of " + replica,
        (c, s) -> {
          s.setString(1, replica);
          s.setLong(2, millis(lease));
          return claims(s);
        });
  }

  /**
   * Marks {@code replica} alive and extends every claim it holds to {@code lease} from now, in one
   * statement however many clusters it holds.
   *
   * @return how many claims were renewed
   */
  public int renew(String replica, Duration lease) {
    long millis = millis(lease);
    return sql.run(
        RENEW,
        "renewing the claims of " + replica,
        (c, s) -> {
          s.setString(1, replica);
          s.setLong(2, millis);
          s.setString(3, replica);
          s.setLong(4, millis);
          return s.executeUpdate();
        });
  }

  /** Gives up {@code replica}'s claims on these clusters so that any replica may claim them now. */
  public void release(String replica, Collection<UUID> clusterIds) {
    if (clusterIds.isEmpty()) {
      return;
    }
    sql.run(
        RELEASE,
        "releasing clusters of " + replica,
        (c, s) -> {
          s.setString(1, replica);
          s.setArray(2, c.createArrayOf("uuid", clusterIds.toArray()));
          return s.executeUpdate();
        });
  }

  /** Releases every claim of {@code replica} and stops counting it as alive (a clean shutdown). */
  public void retire(String replica) {
    sql.run(
        RETIRE,
        "retiring " + replica,
        (c, s) -> {
          s.setString(1, replica);
          s.setString(2, replica);
          return s.executeUpdate();
        });
  }

  /**
   * The claims {@code replica} holds, by cluster id; a claim that expired but was not yet taken
   * over is still held, and {@link #renew} revives it.
   */
  public List<Claim> owned(String replica) {
    return sql.run(
        OWNED,
        "listing the claims of " + replica,
        (c, s) -> {
          s.setString(1, replica);
          return claims(s);
        });
  }

  /**
   * Whether {@code claim} is still the cluster's current tenure: no other claim, release or mode
   * change happened since it was made.
   */
  public boolean isCurrent(Claim claim) {
    return sql.run(
        CURRENT,
        "checking the claim on " + claim.clusterId(),
        (c, s) -> {
          s.setObject(1, claim.clusterId());
          s.setLong(2, claim.epoch());
          try (ResultSet rs = s.executeQuery()) {
            return rs.next();
          }
        });
  }

  /** Live replicas and managed clusters, counted now. */
  public Census census() {
    return sql.run(
        CENSUS,
        "counting replicas and managed clusters",
        (c, s) -> {
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Census(rs.getInt(1), rs.getInt(2));
          }
        });
  }

  private static List<Claim> claims(PreparedStatement s) throws SQLException {
    List<Claim> claims = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        claims.add(new Claim(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3)));
      }
    }
    return claims;
  }

  private static long millis(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, not " + lease);
    }
    return lease.toMillis();
  }
}
