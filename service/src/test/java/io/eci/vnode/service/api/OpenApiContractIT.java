package io.eci.vnode.service.api;

import static io.eci.vnode.service.Api.as;
import static io.eci.vnode.service.Api.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class OpenApiContractIT {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Inject WebhookSecrets webhookSecrets;

  private JsonPath document;

  @BeforeEach
  void readTheDocument() {
    document =
        given()
            .accept("application/json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
  }

  @Test
  void documentsTheSuccessCodeEachOperationReallyAnswers() {
    Map<String, Supplier<Response>> drivers = driveEveryOperation();
    // An operation with several success codes is driven once for each, as "<operation> <code>".
    Map<String, String> documented = new LinkedHashMap<>();
    operations()
        .forEach(
            (key, responses) -> {
              List<String> codes = successCodes(key, responses);
              codes.forEach(c -> documented.put(codes.size() == 1 ? key : key + " " + c, c));
            });

    assertThat(drivers.keySet()).containsExactlyInAnyOrderElementsOf(documented.keySet());
    documented.forEach(
        (operation, code) ->
            assertThat(drivers.get(operation).get().statusCode())
                .as(operation)
                .isEqualTo(Integer.parseInt(code)));
  }

  @Test
  void declaresTheBearerSchemeAndRequiresItOnTheApi() {
    assertThat(document.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
    assertThat(document.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
    operationsIn("/api/")
        .forEach((key, operation) -> assertThat(security(operation)).as(key).contains("bearer"));
    operationsIn("/agent/")
        .forEach((key, operation) -> assertThat(security(operation)).as(key).contains("bearer"));
  }

  @Test
  void documentsProblemAnswersOnEveryOperation() {
    operations()
        .forEach(
            (key, responses) -> {
              assertThat(responses).as(key).containsKeys("400", "500");
              responses.entrySet().stream()
                  .filter(r -> r.getKey().startsWith("4") || r.getKey().startsWith("5"))
                  .forEach(
                      r ->
                          assertThat(content(r.getValue()))
                              .as(key + " " + r.getKey())
                              .containsKey(Problem.MEDIA_TYPE));
            });
  }

  @Test
  void marksTheStatusStatesAndTheFieldsAStatusAlwaysHas() {
    assertThat(
            document.getList("components.schemas.StatusView.properties.state.enum", String.class))
        .containsExactlyInAnyOrder(
            "running", "paused", "unmanaged", "handoff", "deregistering", "failing");
    assertThat(document.getList("components.schemas.StatusView.required", String.class))
        .contains("clusterId", "state", "reported");
    assertThat(document.getList("components.schemas.LastError.required", String.class))
        .contains("message", "at");
    assertThat(
            document.getList(
                "components.schemas.DeregistrationView.properties.state.enum", String.class))
        .containsExactlyInAnyOrder("deregistering", "deleted");
    assertThat(
            document.getList("paths.'/api/v1/clusters/{id}'.delete.parameters.name", String.class))
        .contains("force", "keepPods");
  }

  @Test
  void marksTheFieldsARegistrationRequires() {
    Map<String, Object> body =
        document.getMap(
            "paths.'/api/v1/clusters'.post.requestBody.content.'application/json'.schema");

    assertThat(String.valueOf(body)).contains("name", "region", "mode", "apiServer", "eci");
    assertThat(
            document.getList("components.schemas.ClusterSpec.properties.mode.enum", String.class))
        .containsExactlyInAnyOrder("managed", "unmanaged");
  }

  @Test
  void documentsTheValidateParameterOfRegistrationAndChange() {
    for (String operation :
        List.of("paths.'/api/v1/clusters'.post", "paths.'/api/v1/clusters/{id}'.patch")) {
      List<Map<String, Object>> parameters = document.getList(operation + ".parameters");
      assertThat(parameters)
          .as(operation)
          .anySatisfy(
              p -> {
                assertThat(p).containsEntry("name", "validate").containsEntry("in", "query");
                assertThat(String.valueOf(p.get("description"))).contains("skipped");
              });
    }
    assertThat(
            document.getList(
                "components.schemas.ClusterView.properties.validation.enum", String.class))
        .containsExactlyInAnyOrder("passed", "skipped");
  }

  /** One real call per documented operation, each on its own fixtures. */
  private Map<String, Supplier<Response>> driveEveryOperation() {
    TestTenant tenant = Api.newTenant();
    String cluster = Api.registerCluster(tenant, "contract");
    Map<String, Supplier<Response>> drivers = new LinkedHashMap<>();
    drivers.put(
        "POST /api/v1/tenants",
        () -> asOperator().body(Map.of("name", "t-" + System.nanoTime())).post("/api/v1/tenants"));
    drivers.put("GET /api/v1/tenants", () -> asOperator().get("/api/v1/tenants"));
    drivers.put(
        "GET /api/v1/tenants/{id}", () -> asOperator().get("/api/v1/tenants/{id}", tenant.id()));
    drivers.put(
        "POST /api/v1/tenants/{id}/tokens",
        () ->
            asOperator()
                .body(Map.of("description", "contract"))
                .post("/api/v1/tenants/{id}/tokens", tenant.id()));
    drivers.put(
        "GET /api/v1/tenants/{id}/tokens",
        () -> asOperator().get("/api/v1/tenants/{id}/tokens", tenant.id()));
    drivers.put(
        "DELETE /api/v1/tenants/{id}/tokens/{tokenId}",
        () -> {
          String token =
              asOperator()
                  .body(Map.of("description", "to revoke"))
                  .post("/api/v1/tenants/{id}/tokens", tenant.id())
                  .then()
                  .extract()
                  .path("id");
          return asOperator().delete("/api/v1/tenants/{id}/tokens/{tokenId}", tenant.id(), token);
        });
    drivers.put(
        "POST /api/v1/clusters",
        () -> as(tenant).body(ClusterBodies.valid("contract-new")).post(Api.CLUSTERS_UNCHECKED));
    drivers.put("GET /api/v1/clusters", () -> as(tenant).get("/api/v1/clusters"));
    drivers.put(
        "GET /api/v1/clusters/{id}", () -> as(tenant).get("/api/v1/clusters/{id}", cluster));
    drivers.put(
        "PATCH /api/v1/clusters/{id}",
        () -> Api.change(tenant, cluster, 0, Map.of("paused", true)));
    drivers.put(
        "DELETE /api/v1/clusters/{id} 202",
        () ->
            as(tenant)
                .delete("/api/v1/clusters/{id}", Api.registerCluster(tenant, "contract-deleted")));
    drivers.put(
        "DELETE /api/v1/clusters/{id} 200",
        () ->
            as(tenant)
                .queryParam("force", "true")
                .delete("/api/v1/clusters/{id}", Api.registerCluster(tenant, "contract-forced")));
    drivers.put(
        "GET /api/v1/clusters/{id}/status",
        () -> as(tenant).get("/api/v1/clusters/{id}/status", cluster));
    drivers.put(
        "GET /api/v1/clusters/{id}/pods",
        () -> as(tenant).get("/api/v1/clusters/{id}/pods", cluster));
    drivers.put("GET /api/v1/audit", () -> as(tenant).get("/api/v1/audit"));
    String agentToken = issueAgentToken(tenant, cluster);
    drivers.put(
        "POST /api/v1/clusters/{id}/agent-tokens",
        () -> as(tenant).body(Map.of()).post("/api/v1/clusters/{id}/agent-tokens", cluster));
    drivers.put(
        "GET /api/v1/clusters/{id}/agent-tokens",
        () -> as(tenant).get("/api/v1/clusters/{id}/agent-tokens", cluster));
    drivers.put(
        "DELETE /api/v1/clusters/{id}/agent-tokens/{tokenId}",
        () ->
            as(tenant)
                .delete(
                    "/api/v1/clusters/{id}/agent-tokens/{tokenId}",
                    cluster,
                    as(tenant)
                        .body(Map.of())
                        .post("/api/v1/clusters/{id}/agent-tokens", cluster)
                        .then()
                        .extract()
                        .path("id")));
    drivers.put(
        "GET /agent/v1/config", () -> given().auth().oauth2(agentToken).get("/agent/v1/config"));
    drivers.put(
        "PUT /agent/v1/status",
        () ->
            given()
                .auth()
                .oauth2(agentToken)
                .contentType("application/json")
                .body(Map.of("holder", "agent-contract/" + cluster + "/0", "nodeReady", false))
                .put("/agent/v1/status"));
    drivers.put(
        "POST /webhook/v1/clusters/{id}/{secret}/mutate",
        () ->
            given()
                .contentType("application/json")
                .body(Map.of("request", Map.of("uid", "u-1")))
                .post(
                    "/webhook/v1/clusters/{id}/{secret}/mutate",
                    cluster,
                    webhookSecrets.of(UUID.fromString(cluster))));
    return drivers;
  }

  private static String issueAgentToken(TestTenant tenant, String cluster) {
    return as(tenant)
        .body(Map.of())
        .post("/api/v1/clusters/{id}/agent-tokens", cluster)
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  /** Every operation as "METHOD path", with its responses by code. */
  private Map<String, Map<String, Object>> operations() {
    Map<String, Map<String, Object>> operations = new LinkedHashMap<>();
    operationsIn("/").forEach((key, operation) -> operations.put(key, responses(operation)));
    return operations;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Map<String, Object>> operationsIn(String prefix) {
    Map<String, Map<String, Object>> found = new LinkedHashMap<>();
    Map<String, Map<String, Object>> paths = document.getMap("paths");
    paths.forEach(
        (path, item) ->
            item.forEach(
                (method, operation) -> {
                  if (path.startsWith(prefix) && METHODS.contains(method)) {
                    found.put(method.toUpperCase() + " " + path, (Map<String, Object>) operation);
                  }
                }));
    return found;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> responses(Map<String, Object> operation) {
    return (Map<String, Object>) operation.getOrDefault("responses", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> content(Object response) {
    return (Map<String, Object>) ((Map<String, Object>) response).getOrDefault("content", Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Set<String> security(Map<String, Object> operation) {
    Set<String> schemes = new TreeSet<>();
    for (Object requirement : (List<Object>) operation.getOrDefault("security", List.of())) {
      schemes.addAll(((Map<String, Object>) requirement).keySet());
    }
    return schemes;
  }

  private static List<String> successCodes(String operation, Map<String, Object> responses) {
    List<String> success = responses.keySet().stream().filter(c -> c.startsWith("2")).toList();
    assertThat(success).as(operation + " documents a success code").isNotEmpty();
    return success;
  }
}
