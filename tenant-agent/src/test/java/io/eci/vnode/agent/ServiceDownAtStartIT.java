package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ServiceDownAtStartIT.ServiceDown.class)
class ServiceDownAtStartIT {

  /** An agent that starts while its service is down, with a configuration cached before. */
  public static class ServiceDown implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(AgentWorld.class, Map.of("service", "down")));
    }
  }

  @Test
  void aPodCreatedWhileTheServiceIsDownRunsAndTheAgentCatchesUpWhenItAnswers() {
    ClusterView.labelledPod("offline-1");
    ClusterView.awaitRunning("offline-1");
    given()
        .get("/q/health/ready")
        .then()
        .body(
            "checks.find { it.name == 'control-service-link' }.data.configSource",
            Matchers.equalTo("cache"))
        .body(
            "checks.find { it.name == 'control-service-link' }.data.serviceUnreachable",
            Matchers.notNullValue());

    AgentWorld.service.change(c -> c.put("heartbeatSeconds", 1));
    AgentWorld.service.start(AgentWorld.servicePort);
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body(
                        "checks.find { it.name == 'control-service-link' }.data.configSource",
                        Matchers.equalTo("service"))
                    .body(
                        "checks.find { it.name == 'control-service-link' }.data.configVersion",
                        Matchers.equalTo(2)));
    await().atMost(ClusterView.DEADLINE).until(() -> !AgentWorld.service.statuses().isEmpty());
  }
}
