package io.eci.vnode.service.cluster;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ClusterRegistryIT {

  private TestTenant tenant;

  @BeforeEach
  void newTenant() {
    tenant = Api.newTenant();
  }

  @Test
  void registersAClusterAndShowsItWithoutSecrets() {
    var created =
        as(tenant)
            .body(ClusterBodies.valid("prod-hz"))
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(201)
            .header("ETag", "\"0\"")
            .header("Location", containsString("/api/v1/clusters/"))
            .body("name", equalTo("prod-hz"))
            .body("region", equalTo("cn-hangzhou"))
            .body("mode", equalTo("managed"))
            .body("version", equalTo(0))
            .body("apiServer.url", equalTo("https://203.0.113.10:6443"))
            .body("apiServer.credentialType", equalTo("token"))
            .body("eci.vSwitchIds", contains("vsw-bp1a", "vsw-bp1b"))
            .body("eci.securityGroupId", equalTo("sg-bp1test"))
            .body("eci.kubeProxy", equalTo(true))
            .body("eci.credentialType", equalTo("access-key"))
            .body("eci.accessKeyId", equalTo("LTAI5tTestAccessKey"))
            // Stored unchecked: no identity, no zones, and the answer says so.
            .body("validation", equalTo("skipped"))
            .body("apiServer.clusterIdentity", nullValue())
            .body("eci.vSwitches.id", contains("vsw-bp1a", "vsw-bp1b"))
            .body("eci.vSwitches.zoneId", contains(nullValue(), nullValue()))
            .extract();
    String id = created.path("id");

    as(tenant)
        .get("/api/v1/clusters/{id}", id)
        .then()
        .statusCode(200)
        .header("ETag", "\"0\"")
        .body("id", equalTo(id))
        .body("name", equalTo("prod-hz"));
  }

  @Test
  void registersWithAClientCertificate() {
    Map<String, Object> body = ClusterBodies.valid("cert-cluster");
    ClusterBodies.at(body, "apiServer")
        .put(
            "credentials",
            Map.of(
                "clientCertificate", ClusterBodies.pki("client.pem"),
                "clientKey", ClusterBodies.pki("client.key")));
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201)
        .body("apiServer.credentialType", equalTo("client-certificate"));
  }

  @Test
  void takesServerAndCaFromAKubeconfig() {
    Map<String, Object> body = ClusterBodies.valid("kubeconfig-cluster");
    Map<String, Object> apiServer = ClusterBodies.at(body, "apiServer");
    apiServer.remove("url");
    apiServer.remove("caBundle");
    apiServer.put(
        "credentials", Map.of("kubeconfig", Kubeconfigs.withToken("https://198.51.100.7:6443")));
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201)
        .body("apiServer.url", equalTo("https://198.51.100.7:6443"))
        .body("apiServer.caBundle", containsString("BEGIN CERTIFICATE"))
        .body("apiServer.credentialType", equalTo("kubeconfig"));
  }

  @Test
  void registersWithARamRoleForSts() {
    Map<String, Object> body = ClusterBodies.valid("role-cluster");
    ClusterBodies.at(body, "eci")
        .put(
            "credentials", Map.of("ramRoleArn", "acs:ram::1234567890123456:role/eci-virtual-node"));
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201)
        .body("eci.credentialType", equalTo("ram-role"))
        .body("eci.ramRoleArn", equalTo("acs:ram::1234567890123456:role/eci-virtual-node"))
        .body("eci.accessKeyId", nullValue());
  }

  @Test
  void listsClustersInPagesFilteredByNameAndMode() {
    for (String name : List.of("alpha-1", "alpha-2", "alpha-3", "beta-1")) {
      Api.registerCluster(tenant, name);
    }
    as(tenant).patch("/api/v1/clusters/{id}", idOf("beta-1")).then().statusCode(428);
    var first =
        as(tenant)
            .queryParam("name", "ALPHA")
            .queryParam("limit", 2)
            .get("/api/v1/clusters")
            .then()
            .statusCode(200)
            .body("items.name", contains("alpha-1", "alpha-2"))
            .extract();
    as(tenant)
        .queryParam("name", "alpha")
        .queryParam("limit", 2)
        .queryParam("pageToken", first.<String>path("nextPageToken"))
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .body("items.name", contains("alpha-3"))
        .body("nextPageToken", nullValue());

    String betaId = idOf("beta-1");
    Api.switchWithoutAgent(tenant, betaId, 0, "unmanaged").then().statusCode(200);
    as(tenant)
        .queryParam("mode", "unmanaged")
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .body("items.name", contains("beta-1"));
  }

  @Test
  void changesTheEciConfigAndBumpsTheVersion() {
    String id = Api.registerCluster(tenant, "to-change");
    Api.changeUnchecked(
            tenant,
            id,
            0,
            Map.of(
                "eci",
                Map.of(
                    "securityGroupId",
                    "sg-new",
                    "vSwitchIds",
                    List.of("vsw-c"),
                    "kubeProxy",
                    false)))
        .then()
        .statusCode(200)
        .header("ETag", "\"1\"")
        .body("version", equalTo(1))
        .body("eci.securityGroupId", equalTo("sg-new"))
        .body("eci.vSwitchIds", contains("vsw-c"))
        .body("eci.kubeProxy", equalTo(false))
        .body("eci.credentialType", equalTo("access-key"))
        .body("apiServer.credentialType", equalTo("token"));

    as(tenant)
        .get("/api/v1/clusters/{id}", id)
        .then()
        .body("eci.securityGroupId", equalTo("sg-new"))
        .body("version", equalTo(1));
  }

  @Test
  void refusesAChangeBasedOnAStaleVersion() {
    String id = Api.registerCluster(tenant, "contended");
    Api.switchWithoutAgent(tenant, id, 0, "unmanaged").then().statusCode(200);

    Api.change(tenant, id, 0, Map.of("mode", "managed"))
        .then()
        .statusCode(412)
        .contentType("application/problem+json")
        .body("status", equalTo(412))
        .body("detail", containsString("version 1"));

    as(tenant).get("/api/v1/clusters/{id}", id).then().body("mode", equalTo("unmanaged"));
  }

  @Test
  void refusesAChangeWithoutIfMatch() {
    String id = Api.registerCluster(tenant, "unversioned");
    as(tenant)
        .body(Map.of("mode", "unmanaged"))
        .patch("/api/v1/clusters/{id}", id)
        .then()
        .statusCode(428)
        .contentType("application/problem+json");
  }

  @Test
  void deletesACluster() {
    String id = Api.registerCluster(tenant, "short-lived");
    as(tenant)
        .header("If-Match", "\"5\"")
        .delete("/api/v1/clusters/{id}", id)
        .then()
        .statusCode(412);
    as(tenant)
        .delete("/api/v1/clusters/{id}", id)
        .then()
        .statusCode(202)
        .header("Location", endsWith("/api/v1/clusters/" + id + "/status"))
        .body("state", equalTo("deregistering"))
        .body("forced", equalTo(false));
    // Never hosted, it has nothing to drain: the background deletes the record at once.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> as(tenant).get("/api/v1/clusters/{id}", id).then().statusCode(404));
    as(tenant).delete("/api/v1/clusters/{id}", id).then().statusCode(404);
    Api.registerCluster(tenant, "short-lived");
  }

  @Test
  void writesAnAuditEntryForEveryChange() {
    String id = Api.registerCluster(tenant, "audited");
    as(tenant)
        .header("If-Match", "\"0\"")
        .header("X-Request-Id", "audit-change-1")
        .queryParam("validate", false)
        .body(
            Map.of(
                "eci",
                Map.of(
                    "credentials",
                    Map.of("accessKeyId", "LTAI5tRotated", "accessKeySecret", "rotated-secret"))))
        .patch("/api/v1/clusters/{id}", id)
        .then()
        .statusCode(200);
    as(tenant).delete("/api/v1/clusters/{id}", id).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> as(tenant).get("/api/v1/clusters/{id}", id).then().statusCode(404));

    var entries =
        as(tenant)
            .queryParam("targetId", id)
            .get("/api/v1/audit")
            .then()
            .statusCode(200)
            .body(
                "action",
                contains(
                    "cluster.deleted",
                    "cluster.deregistration-requested",
                    "cluster.updated",
                    "cluster.registered"))
            .body("actor", hasItem("token:" + tenant.tokenId()))
            .extract();
    assertThat(entries.<List<String>>path("[2].details.fields")).containsExactly("eci.credentials");
    assertThat(entries.<String>path("[2].details.validation")).isEqualTo("skipped");
    assertThat(entries.<String>path("[2].requestId")).isEqualTo("audit-change-1");
    assertThat(entries.body().asString()).doesNotContain("rotated-secret");
  }

  private String idOf(String name) {
    return as(tenant)
        .queryParam("name", name)
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .extract()
        .path("items[0].id");
  }
}
