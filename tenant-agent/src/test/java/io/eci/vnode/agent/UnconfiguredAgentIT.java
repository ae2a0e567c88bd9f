package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UnconfiguredAgentIT {

  @Test
  void isAliveButNotReadyAndNamesTheMissingSettings() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'control-service-link' }.status", equalTo("DOWN"))
        .body(
            "checks.find { it.name == 'control-service-link' }.data.missing",
            equalTo("agent.service-url, agent.cluster-id, agent.token-file"));
  }
}
