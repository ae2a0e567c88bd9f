package io.eci.vnode.service.claims;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs one SQL statement on a connection of its own, which commits when the statement returns. */
final class Sql {

  /** Binds a prepared statement's parameters, runs it and reads what it returned. */
  @FunctionalInterface
  interface Statement<T> {
    T run(Connection connection, PreparedStatement statement) throws SQLException;
  }

  private final DataSource db;

  Sql(DataSource db) {
    this.db = db;
  }

  /**
   * Runs {@code sql}; a failure becomes a {@link StoreException} saying {@code what} was being
   * done.
   */
  <T> T run(String sql, String what, Statement<T> statement) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      return statement.run(c, s);
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }
}
