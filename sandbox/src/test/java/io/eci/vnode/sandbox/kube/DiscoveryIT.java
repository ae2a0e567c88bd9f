package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eci.vnode.sandbox.Cluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's discovery is that of a v1.32 API server, for kubectl 1.32; the real one under the
 * tests is v1.20, whose discovery differs by version (no aggregated discovery, no OpenAPI v3), so
 * this runs against the stand-in only. kubectl of both versions runs against both (the
 * walkthrough).
 */
@Tag(Cluster.STAND_IN_ONLY)
class DiscoveryIT {

  private Cluster kube;
  private RawHttp http;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    http = new RawHttp(kube);
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void coreGroupListsResourcesWithVerbsScopeAndShortNames() {
    JsonNode list = http.get("/api/v1").body();

    assertThat(list.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(list.path("groupVersion").asText()).isEqualTo("v1");
    JsonNode pods = resource(list, "pods");
    assertThat(pods.path("namespaced").asBoolean()).isTrue();
    assertThat(pods.path("kind").asText()).isEqualTo("Pod");
    assertThat(pods.path("shortNames").get(0).asText()).isEqualTo("po");
    assertThat(pods.path("verbs").findValuesAsText("verbs")).isEmpty();
    assertThat(texts(pods.path("verbs")))
        .contains("create", "delete", "get", "list", "patch", "update", "watch");
    assertThat(resource(list, "nodes").path("shortNames").get(0).asText()).isEqualTo("no");
    assertThat(resource(list, "nodes").path("namespaced").asBoolean()).isFalse();
    assertThat(resource(list, "namespaces").path("shortNames").get(0).asText()).isEqualTo("ns");
    assertThat(texts(resource(list, "pods/binding").path("verbs"))).containsExactly("create");
    assertThat(texts(resource(list, "pods/status").path("verbs")))
        .containsExactly("get", "patch", "update");
  }

  @Test
  void groupsIncludeCoordinationAppsAndAdmissionRegistration() {
    JsonNode api = http.get("/api").body();
    JsonNode apis = http.get("/apis").body();

    assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
    assertThat(texts(api.path("versions"))).containsExactly("v1");
    assertThat(apis.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(apis.path("groups").findValuesAsText("name"))
        .contains("apps", "coordination.k8s.io", "admissionregistration.k8s.io");
    assertThat(
            resource(http.get("/apis/coordination.k8s.io/v1").body(), "leases")
                .path("kind")
                .asText())
        .isEqualTo("Lease");
    assertThat(
            resource(http.get("/apis/apps/v1").body(), "deployments")
                .path("shortNames")
                .get(0)
                .asText())
        .isEqualTo("deploy");
    assertThat(
            resource(
                    http.get("/apis/admissionregistration.k8s.io/v1").body(),
                    "mutatingwebhookconfigurations")
                .path("namespaced")
                .asBoolean())
        .isFalse();
  }

  @Test
  void versionReportsKubernetes132() {
    JsonNode version = http.get("/version").body();

    assertThat(version.path("major").asText()).isEqualTo("1");
    assertThat(version.path("minor").asText()).isEqualTo("32");
    assertThat(version.path("gitVersion").asText()).startsWith("v1.32.");
  }

  @Test
  void aggregatedDiscoveryRequestGetsTheLegacyDocumentAndOpenApiIsNotFound() {
    RawHttp.Reply aggregated =
        http.get(
            "/apis",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");

    assertThat(aggregated.code()).isEqualTo(200);
    assertThat(aggregated.raw().headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(aggregated.body().path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(http.get("/openapi/v2").code()).isEqualTo(404);
    assertThat(http.get("/apis/nope.example.com/v1").code()).isEqualTo(404);
  }

  @Test
  void openApiV3DeclaresFieldValidationOnPatchWithoutSchemas() {
    JsonNode index = http.get("/openapi/v3").body();
    String url = index.path("paths").path("api/v1").path("serverRelativeURL").asText();

    JsonNode core = http.get(url).body();

    JsonNode patch =
        core.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Pod");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(patch.has("requestBody")).isFalse();
    assertThat(core.path("components").path("schemas")).isEmpty();
    assertThat(index.path("paths").has("apis/coordination.k8s.io/v1")).isTrue();
  }

  @Test
  void unknownResourcesFallThroughToTheFabric8CrudMock() {
    String widget =
        "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"default\"}}";

    RawHttp.Reply created =
        http.send(
            "POST", "/apis/example.com/v1/namespaces/default/widgets", "application/json", widget);

    assertThat(created.code()).isEqualTo(201);
    assertThat(
            http.get("/apis/example.com/v1/namespaces/default/widgets/w")
                .body()
                .path("kind")
                .asText())
        .isEqualTo("Widget");
  }

  private static JsonNode resource(JsonNode list, String name) {
    for (JsonNode resource : list.path("resources")) {
      if (resource.path("name").asText().equals(name)) {
        return resource;
      }
    }
    throw new AssertionError("no resource " + name + " in " + list);
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
