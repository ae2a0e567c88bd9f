package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ClusterSecretCredentialsIT.KeysInTheCluster.class)
class ClusterSecretCredentialsIT {

  /** An agent whose ECI keys are in a Secret of the cluster; the service sends none. */
  public static class KeysInTheCluster implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(AgentWorld.class, Map.of("credentials", "cluster-secret")));
    }
  }

  @Test
  void aPodRunsWithTheKeysOfTheClustersOwnSecretAndRefusedKeysShowInReadiness() {
    ClusterView.labelledPod("keys-1");
    ClusterView.awaitRunning("keys-1");
    given().get("/q/health/ready").then().statusCode(200);

    AgentWorld.credentialsSecret("a-wrong-secret");
    // A new configuration version makes the agent read the Secret again.
    AgentWorld.service.change(c -> c.put("heartbeatSeconds", 1));
    try {
      await()
          .atMost(ClusterView.DEADLINE)
          .untilAsserted(
              () ->
                  given()
                      .get("/q/health/ready")
                      .then()
                      .statusCode(503)
                      .body("checks.find { it.name == 'virtual-node' }.data.eci", notNullValue()));
    } finally {
      AgentWorld.credentialsSecret(AgentWorld.SECRET);
      AgentWorld.service.change(c -> c.put("heartbeatSeconds", 1));
    }
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }
}
