package io.eci.vnode.service.secrets;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Secrets go in, and never come out: not in answers, not in the log, not as plaintext in the
 * database.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SecretsAtRestIT {

  private static final String CLIENT_KEY_BODY =
      ClusterBodies.pki("client.key").lines().skip(1).findFirst().orElseThrow();
  private static final String ROTATED_SECRET = "s3cret-rotated-ak-secret-5e5e";
  private static final String PATCHED_TOKEN = "s3cret-patched-token-6f6f";
  private static final List<String> SECRETS =
      List.of(
          ClusterBodies.API_TOKEN,
          ClusterBodies.ACCESS_KEY_SECRET,
          CLIENT_KEY_BODY,
          ROTATED_SECRET,
          PATCHED_TOKEN);

  @Inject DataSource dataSource;
  @Inject SecretBox secrets;

  @Test
  void secretsNeverComeBackOutOfTheService() throws Exception {
    TestTenant tenant = Api.newTenant();
    List<String> answers = new ArrayList<>();

    var created =
        as(tenant)
            .body(ClusterBodies.valid("secretive"))
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(201)
            .extract();
    answers.add(created.asString());
    String id = created.path("id");
    Map<String, Object> withCert = ClusterBodies.valid("secretive-cert");
    ClusterBodies.at(withCert, "apiServer")
        .put(
            "credentials",
            Map.of(
                "clientCertificate",
                ClusterBodies.pki("client.pem"),
                "clientKey",
                ClusterBodies.pki("client.key")));
    answers.add(
        as(tenant)
            .body(withCert)
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(201)
            .extract()
            .asString());

    answers.add(
        as(tenant).get("/api/v1/clusters/{id}", id).then().statusCode(200).extract().asString());
    answers.add(as(tenant).get("/api/v1/clusters").then().statusCode(200).extract().asString());
    answers.add(
        Api.changeUnchecked(
                tenant,
                id,
                0,
                Map.of(
                    "apiServer", Map.of("credentials", Map.of("token", PATCHED_TOKEN)),
                    "eci",
                        Map.of(
                            "credentials",
                            Map.of(
                                "accessKeyId",
                                "LTAI5tRotated",
                                "accessKeySecret",
                                ROTATED_SECRET))))
            .then()
            .statusCode(200)
            .extract()
            .asString());
    Map<String, Object> rejected = ClusterBodies.valid("secretive-rejected");
    rejected.put("region", "nowhere");
    answers.add(
        as(tenant)
            .body(rejected)
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(400)
            .extract()
            .asString());
    answers.add(
        as(tenant)
            .body(
                "{\"apiServer\": {\"credentials\": {\"token\": \""
                    + ClusterBodies.API_TOKEN
                    + "\" ")
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(400)
            .extract()
            .asString());
    answers.add(as(tenant).get("/api/v1/audit").then().statusCode(200).extract().asString());

    for (String answer : answers) {
      assertThat(answer).isNotBlank();
      SECRETS.forEach(secret -> assertThat(answer).doesNotContain(secret));
    }
    assertDatabaseHoldsOnlyCiphertext(UUID.fromString(id));
    assertLogHoldsNoSecret();
  }

  private void assertDatabaseHoldsOnlyCiphertext(UUID id) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      for (String table : List.of("clusters", "cluster_configs", "audit_log")) {
        try (ResultSet rs =
            c.createStatement().executeQuery("SELECT t::text FROM " + table + " t")) {
          while (rs.next()) {
            rows.add(rs.getString(1));
          }
        }
      }
      assertThat(rows).isNotEmpty();
      rows.forEach(row -> SECRETS.forEach(secret -> assertThat(row).doesNotContain(secret)));

      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT c.api_credential_key_id, c.api_credential_ciphertext, k.access_key_secret_key_id,"
                      + " k.access_key_secret_ciphertext FROM clusters c JOIN cluster_configs k ON k.cluster_id = c.id"
                      + " WHERE c.id = '"
                      + id
                      + "'")) {
        assertThat(rs.next()).isTrue();
        String apiCredentials =
            secrets.open(
                new SealedSecret(rs.getString(1), rs.getBytes(2)),
                "cluster/" + id + "/api-credentials");
        String accessKeySecret =
            secrets.open(
                new SealedSecret(rs.getString(3), rs.getBytes(4)),
                "cluster/" + id + "/access-key-secret");
        assertThat(rs.getString(1)).isEqualTo("test-2");
        assertThat(apiCredentials).contains(PATCHED_TOKEN);
        assertThat(accessKeySecret).isEqualTo(ROTATED_SECRET);
      }
    }
  }

  private static void assertLogHoldsNoSecret() throws IOException {
    String log = Files.readString(Path.of("target/service-test.log"));
    assertThat(log).contains("POST /api/v1/clusters -> 201").contains("PATCH /api/v1/clusters/");
    SECRETS.forEach(secret -> assertThat(log).doesNotContain(secret));
  }
}
