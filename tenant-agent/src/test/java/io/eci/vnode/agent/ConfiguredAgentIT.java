package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ConfiguredAgentIT.Linked.class)
class ConfiguredAgentIT {

  /** An agent installed with all three settings. */
  public static class Linked implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "agent.service-url", "https://vnode.example.test",
          "agent.cluster-id", "7d6c1c1e-0000-4000-8000-000000000001",
          "agent.token", "agent-token-for-test");
    }
  }

  @Test
  void isReadyOnceItKnowsItsControlService() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(
            "checks.find { it.name == 'control-service-link' }.data.serviceUrl",
            equalTo("https://vnode.example.test"));
  }
}
