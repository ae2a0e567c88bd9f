package io.eci.vnode.service.cluster;

import io.eci.vnode.service.claims.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The identity of a registered cluster for whoever connects to it later: a registration stored with
 * {@code ?validate=false} has none, so a host that reads the {@code kube-system} namespace's uid
 * when its engine first connects records it here, and learns whether another registration holds
 * that cluster already (then it must not start an engine for it). Across tenants: the host acts for
 * whoever claimed the cluster.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class ClusterIdentities {

  /** How a recorded identity compares with the one read. */
  public enum Outcome {
    /** The cluster had no identity; it has this one now. */
    RECORDED,
    /** The cluster has this identity already. */
    SAME,
    /** Another registration holds this identity: the cluster is registered twice. */
    HELD_ELSEWHERE,
    /** The cluster has another identity: its API server now answers for another cluster. */
    DIFFERENT,
    /** The cluster is no longer registered. */
    GONE
  }

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String RECORD =
      "UPDATE clusters SET kube_system_uid = ? WHERE id = ? AND kube_system_uid IS NULL";
  private static final String READ = "SELECT kube_system_uid FROM clusters WHERE id = ?";

  private final DataSource database;

  ClusterIdentities(DataSource database) {
    this.database = database;
  }

  /** Records {@code uid} as cluster {@code id}'s identity unless it has one; says how it went. */
  public Outcome recordIfUnknown(UUID id, String uid) {
    try (Connection c = database.getConnection()) {
      try (PreparedStatement update = c.prepareStatement(RECORD)) {
        update.setString(1, uid);
        update.setObject(2, id);
        if (update.executeUpdate() == 1) {
          return Outcome.RECORDED;
        }
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return Outcome.HELD_ELSEWHERE;
        }
        throw e;
      }
      try (PreparedStatement read = c.prepareStatement(READ)) {
        read.setObject(1, id);
        try (ResultSet r = read.executeQuery()) {
          if (!r.next()) {
            return Outcome.GONE;
          }
          return uid.equals(r.getString(1)) ? Outcome.SAME : Outcome.DIFFERENT;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("could not record the identity of cluster " + id, e);
    }
  }
}
