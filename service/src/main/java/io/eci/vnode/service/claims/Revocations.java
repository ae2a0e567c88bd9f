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
 * Claims the cluster's owner took away: a change of mode or pause, or a deregistration ({@link
 * Deregistrations}), revokes it in the database itself (the trigger {@code clusters_claim_row}, see
 * {@link ClaimStore}), and {@link #relinquished} says which of those happened, for the Ready
 * condition the stopped engine leaves. One statement that commits on its own.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Revocations {

  private static final String RELINQUISHED =
      """
      SELECT k.cluster_id, x.mode, x.paused, x.deregistering_since IS NOT NULL
        FROM cluster_claims k JOIN clusters x ON x.id = k.cluster_id
       WHERE k.cluster_id = ANY (?) AND NOT k.managed
      """;

  private final Sql sql;

  Revocations(DataSource db) {
    this.sql = new Sql(db);
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
                  rs.getObject(1, UUID.class),
                  Relinquished.of(rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)));
            }
          }
          return found;
        });
  }
}
