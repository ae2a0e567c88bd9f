package io.eci.vnode.service.hosting;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Postgres row leases on managed clusters (table {@code cluster_claims}), across all tenants. Every
 * method is one SQL statement that commits on its own, so what it did is visible to every replica
 * when it returns. Expiry is judged by the database's clock, never a replica's.
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

  private static final String RELINQUISHED =
      """
      SELECT k.cluster_id, x.mode, x.paused
        FROM cluster_claims k JOIN clusters x ON x.id = k.cluster_id
       WHERE k.cluster_id = ANY (?) AND NOT k.managed
      """;

  private static final String CURRENT =
      "SELECT 1 FROM cluster_claims WHERE cluster_id = ? AND epoch = ? AND owner IS NOT NULL";

  private static final String CENSUS =
      """
      SELECT (SELECT count(*) FROM service_replicas WHERE expires_at > now()),
             (SELECT count(*) FROM cluster_claims WHERE managed)
      """;

  private final DataSource db;

  ClaimStore(DataSource db) {
    this.db = db;
  }

  /**
   * Claims managed clusters that are unclaimed or whose claim expired, until {@code replica} holds
   * {@code fairShare}, for {@code lease}; clusters other replicas are claiming at the same moment
   * are skipped, not waited for.
   *
   * @return the clusters newly claimed, each with its new epoch
   */
  public List<Claim> claim(String replica, int fairShare, Duration lease) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(CLAIM)) {
      s.setString(1, replica);
      s.setString(2, replica);
      s.setInt(3, fairShare);
      s.setString(4, replica);
      s.setLong(5, millis(lease));
      return claims(s);
    } catch (SQLException e) {
      throw new StoreException("claiming clusters for " + replica, e);
    }
  }

  /**
   * Marks {@code replica} alive and extends every claim it holds to {@code lease} from now, in one
   * statement however many clusters it holds.
   *
   * @return how many claims were renewed
   */
  public int renew(String replica, Duration lease) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(RENEW)) {
      long millis = millis(lease);
      s.setString(1, replica);
      s.setLong(2, millis);
      s.setString(3, replica);
      s.setLong(4, millis);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("renewing the claims of " + replica, e);
    }
  }

  /** Gives up {@code replica}'s claims on these clusters so that any replica may claim them now. */
  public void release(String replica, Collection<UUID> clusterIds) {
    if (clusterIds.isEmpty()) {
      return;
    }
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(RELEASE)) {
      s.setString(1, replica);
      s.setArray(2, c.createArrayOf("uuid", clusterIds.toArray()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("releasing clusters of " + replica, e);
    }
  }

  /**
   * Takes the cluster away from every replica for good (a deregistration): no replica holds or may
   * claim it, and the epoch moves on so a replica still running it is fenced.
   *
   * @return whether any replica ever hosted it (an epoch above zero)
   */
  public boolean revoke(UUID clusterId) {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE cluster_claims SET owner = NULL, expires_at = NULL, managed = false,"
                    + " epoch = epoch + 1 WHERE cluster_id = ? RETURNING epoch - 1")) {
      s.setObject(1, clusterId);
      try (var r = s.executeQuery()) {
        return r.next() && r.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new StoreException("revoking the claim on " + clusterId, e);
    }
  }

  /** Undoes {@link #revoke} when a deregistration stops half-way: the cluster is hostable again. */
  public void restore(UUID clusterId) {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE cluster_claims k SET managed = (x.mode = 'managed' AND NOT x.paused)"
                    + " FROM clusters x"
                    + " WHERE x.id = k.cluster_id AND k.cluster_id = ?")) {
      s.setObject(1, clusterId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("restoring the claim on " + clusterId, e);
    }
  }

  /** Releases every claim of {@code replica} and stops counting it as alive (a clean shutdown). */
  public void retire(String replica) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(RETIRE)) {
      s.setString(1, replica);
      s.setString(2, replica);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("retiring " + replica, e);
    }
  }

  /**
   * The claims {@code replica} holds, by cluster id; a claim that expired but was not yet taken
   * over is still held, and {@link #renew} revives it.
   */
  public List<Claim> owned(String replica) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(OWNED)) {
      s.setString(1, replica);
      return claims(s);
    } catch (SQLException e) {
      throw new StoreException("listing the claims of " + replica, e);
    }
  }

  /**
   * Whether {@code claim} is still the cluster's current tenure: no other claim, release or mode
   * change happened since it was made.
   */
  public boolean isCurrent(Claim claim) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(CURRENT)) {
      s.setObject(1, claim.clusterId());
      s.setLong(2, claim.epoch());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new StoreException("checking the claim on " + claim.clusterId(), e);
    }
  }

  /**
   * Which of these clusters no replica may host any more because their owner said so, and why;
   * clusters that are still hostable (their claim merely moved) or no longer registered are absent.
   * One statement.
   */
  public Map<UUID, Relinquished> relinquished(Collection<UUID> clusterIds) {
    Map<UUID, Relinquished> found = new HashMap<>();
    if (clusterIds.isEmpty()) {
      return found;
    }
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(RELINQUISHED)) {
      s.setArray(1, c.createArrayOf("uuid", clusterIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Relinquished why =
              !"managed".equals(rs.getString(2))
                  ? Relinquished.UNMANAGED
                  : rs.getBoolean(3) ? Relinquished.PAUSED : Relinquished.DEREGISTERING;
          found.put(rs.getObject(1, UUID.class), why);
        }
      }
      return found;
    } catch (SQLException e) {
      throw new StoreException("reading why clusters are no longer hosted", e);
    }
  }

  /** Live replicas and managed clusters, counted now. */
  public Census census() {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(CENSUS);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return new Census(rs.getInt(1), rs.getInt(2));
    } catch (SQLException e) {
      throw new StoreException("counting replicas and managed clusters", e);
    }
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
