package io.eci.vnode.service.tenant;

import static io.eci.vnode.service.Api.as;
import static io.eci.vnode.service.Api.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AuthenticationIT {

  @Test
  void refusesARequestWithoutAToken() {
    given()
        .get("/api/v1/clusters")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .contentType("application/problem+json")
        .body("status", equalTo(401));
  }

  @Test
  void refusesANonBearerScheme() {
    given()
        .auth()
        .preemptive()
        .basic("user", "pass")
        .get("/api/v1/clusters")
        .then()
        .statusCode(401);
  }

  @Test
  void refusesAnUnknownToken() {
    given()
        .auth()
        .oauth2("vnt_aaaaaaaaaaaaaaaa_unknownsecret")
        .get("/api/v1/clusters")
        .then()
        .statusCode(401);
    given().auth().oauth2("not-even-a-token").get("/api/v1/clusters").then().statusCode(401);
  }

  @Test
  void refusesAKnownTokenIdWithTheWrongSecret() {
    TestTenant tenant = Api.newTenant();
    String forged = "vnt_" + tenant.tokenId() + "_" + "A".repeat(43);
    given().auth().oauth2(forged).get("/api/v1/clusters").then().statusCode(401);
  }

  @Test
  void refusesARevokedTokenAndKeepsTheOthers() {
    TestTenant tenant = Api.newTenant();
    var second =
        asOperator()
            .post("/api/v1/tenants/{id}/tokens", tenant.id())
            .then()
            .statusCode(201)
            .extract();
    String secondToken = second.path("token");
    given().auth().oauth2(secondToken).get("/api/v1/clusters").then().statusCode(200);

    asOperator()
        .delete("/api/v1/tenants/{id}/tokens/{tokenId}", tenant.id(), second.<String>path("id"))
        .then()
        .statusCode(204);

    given().auth().oauth2(secondToken).get("/api/v1/clusters").then().statusCode(401);
    as(tenant).get("/api/v1/clusters").then().statusCode(200);
    asOperator()
        .get("/api/v1/tenants/{id}/tokens", tenant.id())
        .then()
        .statusCode(200)
        .body("find { it.id == '" + second.path("id") + "' }.revokedAt", notNullValue());
  }

  @Test
  void showsATokenOnlyWhenIssued() {
    TestTenant tenant = Api.newTenant();
    assertThat(tenant.token()).startsWith("vnt_" + tenant.tokenId() + "_");
    asOperator()
        .get("/api/v1/tenants/{id}/tokens", tenant.id())
        .then()
        .statusCode(200)
        .body("[0]", not(hasKey("token")))
        .body("[0]", not(hasKey("secretHash")));
  }

  @Test
  void theOperatorTokenDoesNotActOnClusters() {
    asOperator()
        .get("/api/v1/clusters")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
  }

  @Test
  void theOperatorCreatesTenantsWithUniqueNames() {
    TestTenant tenant = Api.newTenant();
    asOperator()
        .body(Map.of("name", tenant.name()))
        .post("/api/v1/tenants")
        .then()
        .statusCode(409)
        .body("invalid-params.name", hasItem("name"));
    asOperator()
        .body(Map.of("name", "Not A Name"))
        .post("/api/v1/tenants")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("name"));
    asOperator()
        .get("/api/v1/tenants/{id}", tenant.id())
        .then()
        .statusCode(200)
        .body("name", equalTo(tenant.name()));
    asOperator().get("/api/v1/tenants").then().statusCode(200).body("name", hasItem(tenant.name()));
  }

  @Test
  void issuingATokenForAnUnknownTenantIsNotFound() {
    asOperator()
        .post("/api/v1/tenants/{id}/tokens", "no-such-tenant")
        .then()
        .statusCode(404)
        .body("type", startsWith("/problems/"));
  }
}
