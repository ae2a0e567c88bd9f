package io.eci.vnode.service;

import io.eci.vnode.db.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The database of every {@code @QuarkusTest}: a throwaway embedded PostgreSQL, unless {@code
 * QUARKUS_DATASOURCE_JDBC_URL} points the tests at a server of your own.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedDatabase database;

  @Override
  public Map<String, String> start() {
    if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null) {
      return Map.of();
    }
    database = EmbeddedDatabase.start();
    return Map.of(
        "quarkus.datasource.jdbc.url",
        database.jdbcUrl(),
        "quarkus.datasource.username",
        EmbeddedDatabase.USER);
  }

  @Override
  public void stop() {
    if (database != null) {
      database.close();
    }
  }
}
