package io.eci.vnode.service.agent;

import static io.eci.vnode.service.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of the API against the real service and PostgreSQL: its tokens, the long poll of
 * its configuration, its heartbeat, and the switch of mode it makes possible.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class AgentApiIT {

  private TestTenant tenant;

  @BeforeEach
  void newTenant() {
    tenant = Api.newTenant();
  }

  @Test
  void anAgentTokenIsShownOnceListedWithoutItsSecretAndOpensOnlyItsClustersAgentApi() {
    String a = Api.registerCluster(tenant, "agent-a");
    String b = Api.registerCluster(tenant, "agent-b");
    JsonPath issued = issue(a);
    String token = issued.getString("token");
    assertThat(token).startsWith("vna_");

    as(tenant)
        .get("/api/v1/clusters/{id}/agent-tokens", a)
        .then()
        .statusCode(200)
        .body("items.id", hasItem(issued.getString("id")))
        .body("items[0].token", nullValue())
        .body("toString()", not(containsString(token.substring(22))));
    agent(token).get("/agent/v1/config").then().statusCode(200).body("clusterId", equalTo(a));
    // Nothing else opens with it: not the other cluster, not the tenant API.
    agent(token)
        .get("/api/v1/clusters/{id}", b)
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    // And no tenant token opens the agent API.
    as(tenant).get("/agent/v1/config").then().statusCode(401);
    as(tenant)
        .get("/api/v1/clusters/{id}/agent-tokens", b)
        .then()
        .body("items", equalTo(List.of()));
  }

  @Test
  void aRevokedAgentTokenStopsWorkingAtOnceWhileAnotherStillDoes() {
    String id = Api.registerCluster(tenant, "rotated");
    JsonPath old = issue(id);
    JsonPath fresh = issue(id);

    as(tenant)
        .delete("/api/v1/clusters/{id}/agent-tokens/{token}", id, old.getString("id"))
        .then()
        .statusCode(204);

    agent(old.getString("token"))
        .get("/agent/v1/config")
        .then()
        .statusCode(401)
        .body("detail", containsString("agent token"));
    agent(fresh.getString("token")).get("/agent/v1/config").then().statusCode(200);
    as(tenant)
        .queryParam("targetId", id)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .body("action", hasItem("agent-token.revoked"))
        .body("action", hasItem("agent-token.issued"));
    as(tenant)
        .delete("/api/v1/clusters/{id}/agent-tokens/{token}", id, "nosuchtoken00000")
        .then()
        .statusCode(404);
  }

  @Test
  void aChangeReachesALongPollingAgentWithinTwoSeconds() throws Exception {
    String id = Api.registerCluster(tenant, "polled");
    String token = issue(id).getString("token");
    Response first = agent(token).get("/agent/v1/config");
    first.then().statusCode(200).body("version", equalTo(0)).body("mode", equalTo("managed"));
    String etag = first.header("ETag");
    assertThat(first.jsonPath().getString("eci.credentials.type")).isEqualTo("accessKey");

    agent(token)
        .header("If-None-Match", etag)
        .get("/agent/v1/config?wait=0")
        .then()
        .statusCode(304);
    CompletableFuture<Response> waiting =
        CompletableFuture.supplyAsync(
            () -> agent(token).header("If-None-Match", etag).get("/agent/v1/config?wait=20"));
    // The poll is waiting (not answered) until the change.
    assertThat(waiting).isNotDone();
    Instant changed = Instant.now();
    Api.changeUnchecked(tenant, id, 0, Map.of("eci", Map.of("vSwitchIds", List.of("vsw-b"))))
        .then()
        .statusCode(200);

    Response after = waiting.get(10, TimeUnit.SECONDS);
    Duration took = Duration.between(changed, Instant.now());
    after
        .then()
        .statusCode(200)
        .body("version", equalTo(1))
        .body("vSwitchIds", equalTo(List.of("vsw-b")));
    assertThat(after.header("ETag")).isNotEqualTo(etag);
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void switchingToUnmanagedWithoutAHeartbeatIsRefusedSayingHowToInstallTheAgent() {
    String id = Api.registerCluster(tenant, "agentless");

    Api.change(tenant, id, 0, Map.of("mode", "unmanaged"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", endsWith("/problems/no-agent"))
        .body("detail", containsString("agent-tokens"))
        .body("detail", containsString("force=true"))
        .body("invalid-params[0].name", equalTo("mode"));

    Api.switchWithoutAgent(tenant, id, 0, "unmanaged").then().statusCode(200);
    status(id)
        .then()
        .body("state", equalTo("handoff"))
        .body("handoff.toMode", equalTo("unmanaged"));
  }

  @Test
  void theAgentsHeartbeatEndsTheHandoffAndIsTheStatusWhileUnmanaged() {
    String id = Api.registerCluster(tenant, "handed-over");
    String token = issue(id).getString("token");
    String holder = "agent-pod-1/" + id + "/0";
    heartbeat(token, holder, null).then().statusCode(204);
    // Managed: the heartbeat is kept, but the status is the hosted engine's.
    status(id).then().body("agent.holder", equalTo(holder)).body("owner", nullValue());

    Api.change(tenant, id, 0, Map.of("mode", "unmanaged")).then().statusCode(200);
    status(id).then().body("state", equalTo("handoff"));
    agent(token).get("/agent/v1/config").then().body("mode", equalTo("unmanaged"));

    heartbeat(token, holder, holder).then().statusCode(204);

    status(id)
        .then()
        .body("state", equalTo("unmanaged"))
        .body("nodeReady", equalTo(true))
        .body("owner", equalTo(holder))
        .body("pods.running", equalTo(3))
        .body("pods.pending", equalTo(1))
        .body("handoff.finishedAt", not(nullValue()));
    JsonPath audit =
        as(tenant)
            .queryParam("targetId", id)
            .get("/api/v1/audit")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(audit.getString("[0].action")).isEqualTo("cluster.handoff-finished");
    assertThat(audit.getString("[0].actor")).isEqualTo("token:" + tenant.tokenId());
    assertThat(audit.getString("[0].details.toMode")).isEqualTo("unmanaged");
    assertThat(audit.getString("[0].details.tookOverBy")).isEqualTo(holder);
    assertThat(audit.getLong("[0].details.durationMillis")).isNotNegative();
  }

  @Test
  void aHeartbeatWithoutItsHolderOrWithAnUnknownPhaseIsRefusedNamingTheField() {
    String token = issue(Api.registerCluster(tenant, "sloppy")).getString("token");

    agent(token)
        .body(Map.of("nodeReady", true, "podsByPhase", Map.of("Sleeping", 1)))
        .put("/agent/v1/status")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params.name", hasItem("holder"))
        .body("invalid-params.name", hasItem("podsByPhase.Sleeping"));
    agent(token)
        .get("/agent/v1/config?wait=abc")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("wait"));
    agent(token)
        .get("/agent/v1/config?wait=31")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("wait"));
    agent(token)
        .get("/agent/v1/config?waitt=1")
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("waitt"));
  }

  private JsonPath issue(String clusterId) {
    return as(tenant)
        .body(Map.of("description", "agent in the cluster"))
        .post("/api/v1/clusters/{id}/agent-tokens", clusterId)
        .then()
        .statusCode(201)
        .body("token", startsWith("vna_"))
        .extract()
        .jsonPath();
  }

  private static RequestSpecification agent(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  private Response status(String id) {
    return as(tenant).get("/api/v1/clusters/{id}/status", id);
  }

  private static Response heartbeat(String token, String holder, String owner) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("agentVersion", "test");
    report.put("holder", holder);
    report.put("owner", owner);
    report.put("nodeName", "virtual-kubelet-cn-hangzhou-a");
    report.put("nodeReady", true);
    report.put("podsByPhase", Map.of("Running", 3, "Pending", 1));
    report.put("configVersion", 1);
    return agent(token).body(report).put("/agent/v1/status");
  }
}
