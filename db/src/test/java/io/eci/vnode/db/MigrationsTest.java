package io.eci.vnode.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  private static EmbeddedDatabase database;

  @BeforeAll
  static void migrateAFreshDatabase() {
    database = EmbeddedDatabase.start();
    Flyway.configure()
        .dataSource(database.jdbcUrl(), EmbeddedDatabase.USER, "")
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @Test
  void createsEveryTableTheServiceMaps() throws SQLException {
    assertThat(tables())
        .contains(
            "tenants",
            "api_tokens",
            "clusters",
            "cluster_configs",
            "cluster_statuses",
            "audit_log");
  }

  @Test
  void rejectsAClusterWithAnUnknownMode() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO tenants VALUES ('t-mode', 'mode-test', now())");
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO clusters VALUES (gen_random_uuid(), 't-mode', 'c', 'cn-hangzhou',"
                          + " 'sometimes', 'https://k', null, 'token', 'k1', '\\x00', 0, now(), now())"))
          .hasMessageContaining("clusters_mode_check");
    }
  }

  @Test
  void rejectsAccessKeyConfigWithoutItsSecret() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO tenants VALUES ('t-ak', 'ak-test', now())");
      s.execute(
          "INSERT INTO clusters VALUES ('00000000-0000-0000-0000-0000000000a1', 't-ak', 'c',"
              + " 'cn-hangzhou', 'managed', 'https://k', null, 'token', 'k1', '\\x00', 0, now(), now())");
      assertThatThrownBy(
              () ->
                  s.execute(
                      "INSERT INTO cluster_configs (cluster_id, tenant_id, vswitch_ids,"
                          + " security_group_id, kube_proxy, eci_credential_type, access_key_id)"
                          + " VALUES ('00000000-0000-0000-0000-0000000000a1', 't-ak', 'vsw-a', 'sg-a',"
                          + " true, 'access-key', 'LTAIexample')"))
          .hasMessageContaining("cluster_configs_credentials_complete");
    }
  }

  private static List<String> tables() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
  }
}
