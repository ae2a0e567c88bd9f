package io.eci.vnode.service.api;

import static io.eci.vnode.service.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class OperationsIT {

  @Test
  void readinessIncludesTheDatabase() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Database")));
  }

  @Test
  void exposesPrometheusMetricsToTheOperator() {
    as(Api.newTenant()).get("/api/v1/clusters").then().statusCode(200);
    given()
        .auth()
        .oauth2(Api.OPERATOR_TOKEN)
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("http_server_requests_seconds_count"));
  }

  @Test
  void exposesPrometheusMetricsToTheScrapeToken() {
    given()
        .auth()
        .oauth2("test-scrape-token")
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("jvm_"));
  }

  @Test
  void refusesMetricsToAnAnonymousCallerOrATenantToken() {
    given()
        .get("/q/metrics")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .contentType("application/problem+json")
        .body("status", equalTo(401))
        .body("instance", equalTo("/q/metrics"))
        .body(not(containsString("vnode_")));
    given().auth().oauth2("wrong-token").get("/q/metrics").then().statusCode(401);
    as(Api.newTenant()).get("/q/metrics").then().statusCode(401);
  }

  @Test
  void publishesTheOpenApiDocumentAndSwaggerUi() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/api/v1/clusters"))
        .body(containsString("/api/v1/tenants"));
    given().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  void echoesTheCallersRequestIdAndInventsOneOtherwise() {
    given()
        .header("X-Request-Id", "trace-me-42")
        .get("/api/v1/clusters")
        .then()
        .statusCode(401)
        .header("X-Request-Id", "trace-me-42")
        .body("requestId", equalTo("trace-me-42"))
        .body("instance", equalTo("/api/v1/clusters"));
    given()
        .header("X-Request-Id", "not sane!\u0007")
        .get("/api/v1/clusters")
        .then()
        .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
  }
}
