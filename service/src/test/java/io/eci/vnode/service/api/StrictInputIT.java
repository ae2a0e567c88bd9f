package io.eci.vnode.service.api;

import static io.eci.vnode.service.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class StrictInputIT {

  private static final String PROBLEM = "application/problem+json";

  private TestTenant tenant;

  @BeforeEach
  void newTenant() {
    tenant = Api.newTenant();
  }

  @Test
  void refusesANumberWhereAStringIsExpected() {
    Map<String, Object> body = ClusterBodies.valid("numbered");
    body.put("name", 123);
    refusedNaming(body, "name");
  }

  @Test
  void refusesANumberWhereABooleanIsExpected() {
    Map<String, Object> body = ClusterBodies.valid("paused-by-number");
    body.put("paused", 1);
    refusedNaming(body, "paused");
  }

  @Test
  void refusesTextWhereABooleanIsExpected() {
    Map<String, Object> body = ClusterBodies.valid("paused-by-text");
    body.put("paused", "false");
    refusedNaming(body, "paused");
  }

  @Test
  void refusesAnEmptyChangeWithoutANewVersionOrAnAuditEntry() {
    String id = Api.registerCluster(tenant, "unchanged");
    Api.change(tenant, id, 0, Map.of())
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("body"))
        .body("detail", containsString("no field"));
    as(tenant).get("/api/v1/clusters/{id}", id).then().statusCode(200).body("version", equalTo(0));
    as(tenant)
        .queryParam("targetId", id)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .body("action", not(hasItem("cluster.updated")));
  }

  @Test
  void answersABodyOverTheLimitWithAProblem() {
    as(tenant)
        .body("{\"name\": \"" + "x".repeat(300 * 1024) + "\"}")
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(413)
        .contentType(PROBLEM)
        .body("status", equalTo(413));
  }

  @Test
  void answersABodyOverTheServersHardLimitWithAProblem() {
    as(tenant)
        .body("{\"name\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}")
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(413)
        .contentType(PROBLEM);
  }

  @Test
  void answersAWrongMethodListingTheAllowedOnes() {
    as(tenant)
        .put("/api/v1/clusters")
        .then()
        .statusCode(405)
        .contentType(PROBLEM)
        .header("Allow", equalTo("GET, HEAD, OPTIONS, POST"))
        .body("detail", equalTo("Allowed methods here: GET, HEAD, OPTIONS, POST"));
  }

  @Test
  void answersAWrongMethodOnAnItemListingTheAllowedOnes() {
    as(tenant)
        .put("/api/v1/clusters/{id}", Api.registerCluster(tenant, "put-upon"))
        .then()
        .statusCode(405)
        .contentType(PROBLEM)
        .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, PATCH"));
  }

  @Test
  void namesAQueryParameterThatIsNotANumber() {
    as(tenant)
        .queryParam("limit", "abc")
        .get("/api/v1/clusters")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("limit"));
  }

  @Test
  void namesAQueryParameterThatIsNeitherTrueNorFalse() {
    as(tenant)
        .queryParam("keepPods", "yes")
        .delete("/api/v1/clusters/{id}", Api.registerCluster(tenant, "kept"))
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("keepPods"));
  }

  @Test
  void refusesAClusterPageTokenItDidNotHandOut() {
    as(tenant)
        .queryParam("pageToken", "zzz")
        .get("/api/v1/clusters")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("pageToken"));
  }

  @Test
  void refusesAPageTokenOnEveryListThatDoesNotPage() {
    as(tenant)
        .queryParam("pageToken", "zzz")
        .get("/api/v1/audit")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("pageToken")))
        .body("detail", containsString("known here: limit, targetId"));
    Api.asOperator()
        .queryParam("pageToken", "zzz")
        .get("/api/v1/tenants")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("pageToken")));
    Api.asOperator()
        .queryParam("pageToken", "zzz")
        .get("/api/v1/tenants/{id}/tokens", tenant.id())
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("pageToken")));
  }

  @Test
  void refusesAPodPageTokenItDidNotHandOut() {
    as(tenant)
        .queryParam("pageToken", "zzz")
        .get("/api/v1/clusters/{id}/pods", Api.registerCluster(tenant, "pods-paged"))
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem("pageToken"));
  }

  @Test
  void namesAMisspeltQueryParameter() {
    as(tenant)
        .queryParam("keepPod", "true")
        .delete("/api/v1/clusters/{id}", Api.registerCluster(tenant, "misspelt"))
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", equalTo(List.of("keepPod")));
  }

  @Test
  void asksForATokenBeforeItJudgesTheQuery() {
    given()
        .queryParam("pageToken", "zzz")
        .get("/api/v1/audit")
        .then()
        .statusCode(401)
        .contentType(PROBLEM);
  }

  @Test
  void followsTheClusterPageTokenItHandedOut() {
    Api.registerCluster(tenant, "page-a");
    Api.registerCluster(tenant, "page-b");
    String next =
        as(tenant)
            .queryParam("limit", 1)
            .get("/api/v1/clusters")
            .then()
            .statusCode(200)
            .extract()
            .path("nextPageToken");
    as(tenant)
        .queryParam("limit", 1)
        .queryParam("pageToken", next)
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .body("items.name", equalTo(List.of("page-b")));
  }

  @Test
  void answersAnUnknownRouteOutsideTheApiWithAProblem() {
    given()
        .get("/nothing-here")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404));
  }

  @Test
  void namesAPageTokenWhosePercentEncodingIsMalformed() {
    String id = Api.registerCluster(tenant, "percent");
    refusedTargetNaming(
        "/api/v1/clusters/" + id + "/pods?phase=Running&pageToken=%%%", "pageToken");
  }

  @Test
  void namesMalformedPercentEncodingOnEveryList() {
    refusedTargetNaming("/api/v1/clusters?pageToken=%zz", "pageToken");
    refusedTargetNaming("/api/v1/clusters?limit=%G1", "limit");
    refusedTargetNaming("/api/v1/audit?targetId=50%", "targetId");
  }

  @Test
  void namesThePathOrTheQueryWhenTheyCannotBeDecoded() {
    refusedTargetNaming("/api/v1/clusters/%zz/pods", "path");
    refusedTargetNaming("/api/v1/clusters?page%Token=x", "query");
    refusedTargetNaming("/nothing-here/%%", "path");
  }

  @Test
  void answersAChunkedBodyOverTheServersHardLimitWithAProblem() {
    // Whitespace is valid JSON to the parser, so only the size can stop it.
    RawHttp.Answer answer =
        RawHttp.sendChunked(
            "POST",
            "/api/v1/clusters",
            Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json"),
            " ".repeat(8192).getBytes(StandardCharsets.US_ASCII),
            5L * 1024 * 1024);
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.contentType()).isEqualTo(PROBLEM);
    assertThat(new JsonPath(answer.body()).getInt("status")).isEqualTo(413);
  }

  private void refusedTargetNaming(String target, String parameter) {
    RawHttp.Answer answer =
        RawHttp.send(
            "GET",
            target,
            Map.of(
                "Authorization",
                "Bearer " + tenant.token(),
                RequestIds.HEADER,
                "req-" + parameter));
    assertThat(answer.status()).as(target).isEqualTo(400);
    assertThat(answer.contentType()).as(target).isEqualTo(PROBLEM);
    assertThat(answer.headers()).containsEntry("x-request-id", "req-" + parameter);
    JsonPath problem = new JsonPath(answer.body());
    assertThat(problem.getString("type")).isEqualTo("/problems/invalid-request");
    assertThat(problem.getString("title")).isEqualTo("Invalid request");
    assertThat(problem.getInt("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).contains(parameter);
    assertThat(problem.getString("requestId")).isEqualTo("req-" + parameter);
    assertThat(problem.getList("invalid-params.name")).as(target).containsExactly(parameter);
  }

  private void refusedNaming(Map<String, Object> body, String field) {
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("invalid-params.name", hasItem(field));
  }
}
