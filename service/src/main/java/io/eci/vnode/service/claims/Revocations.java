package io.eci.vnode.service.claims;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Claims the cluster's owner took away: a deregistration revokes the claim for good (and restores
 * it if it stops half-way); a change of mode or pause revokes it in the database itself (the
 * trigger {@code clusters_claim_row}, see {@link ClaimStore}), and {@link #relinquished} says which
 * of those happened, for the Ready condition the stopped engine leaves. Each method is one
 * statement that commits on its own.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Revocations {

  private static final String REVOKE =
      """
      UPDATE cluster_claims SET owner = NULL, expires_at = NULL, managed = false, epoch = epoch + 1
       WHERE cluster_id = ?
      RETURNING epoch - 1
      """;

  private static final String RESTORE =
      """
      UPDATE cluster_claims k SET managed = cluster_is_claimable(x.mode, x.paused)
        FROM clusters x
       WHERE x.id = k.cluster_id AND k.cluster_id = ?
      """;

  private static final String RELINQUISHED =
      """
      SELECT k.cluster_id, x.mode, x.paused
        FROM cluster_claims k JOIN clusters x ON x.id = k.cluster_id
       WHERE k.cluster_id = ANY (?) AND NOT k.managed
      """;

  private final Sql sql;

  Revocations(DataSource db) {
    this.sql = new Sql(db);
  }

  /**
   * Takes the cluster away from every replica for good (a deregistration): no replica holds or may
   * claim it, and the epoch moves on so a replica still running it is fenced.
   *
   * @return whether any replica ever hosted it (an epoch above zero)
   */
  public boolean revoke(UUID clusterId) {
    return sql.run(
        REVOKE,
        "revoking the claim on " + clusterId,
        (c, s) -> {
          s.setObject(1, clusterId);
          try (ResultSet r = s.executeQuery()) {
            return r.next() && r.getLong(1) > 0;
          }
        });
  }

  /** Undoes {@link #revoke} when a deregistration stops half-way: the cluster is hostable again. */
  public void restore(UUID clusterId) {
    sql.run(
        RESTORE,
        "restoring the claim on " + clusterId,
        (c, s) -> {
          s.setObject(1, clusterId);
          return s.executeUpdate();
        });
  }

  /**
   * Which of these clusters no replica may host any more because their owner said so, and why;
   * clusters that are still hostable (their claim merely moved) or no longer registered are absent.
   * One statement.
   */
  public Map<UUID, Relinquished> relinquished(Collection<UUID> clusterIds) {
    if (clusterIds.isEmpty()) {
      return new HashMap<>();
    }
    return sql.run(
        RELINQUISHED,
        "reading why clusters are no longer hosted",
        (c, s) -> {
          s.setArray(1, c.createArrayOf("uuid", clusterIds.toArray()));
          Map<UUID, Relinquished> found = new HashMap<>();
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              found.put(
                  rs.getObject(1, UUID.class), Relinquished.of(rs.getString(2), rs.getBoolean(3)));
            }
          }
          return found;
        });
  }
}
