package io.eci.vnode.service;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Calls the API the way a user would, as the operator or as a tenant. */
public final class Api {

  /**
   * Where a test registers a cluster at a made-up address, without the registration checks (which
   * would find it unreachable): for the tests about something else than the checks.
   */
  public static final String CLUSTERS_UNCHECKED = "/api/v1/clusters?validate=false";

  /** The operator token configured for the test profile. */
  public static final String OPERATOR_TOKEN = "test-operator-token";

  private Api() {}

  /** A request authenticated with the operator token. */
  public static RequestSpecification asOperator() {
    return given().auth().oauth2(OPERATOR_TOKEN).contentType(ContentType.JSON);
  }

  /** A request authenticated with a tenant's token. */
  public static RequestSpecification as(TestTenant tenant) {
    return given().auth().oauth2(tenant.token()).contentType(ContentType.JSON);
  }

  /** A tenant created through the API, with a freshly issued token. */
  public record TestTenant(String id, String name, String tokenId, String token) {}

  /** Creates a tenant with a unique name and issues it a token. */
  public static TestTenant newTenant() {
    String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
    String id =
        asOperator()
            .body(Map.of("name", name))
            .post("/api/v1/tenants")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    var issued =
        asOperator()
            .body(Map.of("description", "test"))
            .post("/api/v1/tenants/{id}/tokens", id)
            .then()
            .statusCode(201)
            .extract();
    return new TestTenant(id, name, issued.path("id"), issued.path("token"));
  }

  /** Changes a cluster at a known version, as a client that did GET it first. */
  public static Response change(TestTenant tenant, String clusterId, long version, Object body) {
    return as(tenant)
        .header("If-Match", "\"" + version + "\"")
        .body(body)
        .patch("/api/v1/clusters/{id}", clusterId);
  }

  /**
   * Switches a cluster's mode with {@code ?force=true}: to unmanaged though no agent of it runs.
   */
  public static Response switchWithoutAgent(
      TestTenant tenant, String clusterId, long version, String mode) {
    return as(tenant)
        .header("If-Match", "\"" + version + "\"")
        .queryParam("force", true)
        .body(java.util.Map.of("mode", mode))
        .patch("/api/v1/clusters/{id}", clusterId);
  }

  /**
   * Changes a cluster's API server or ECI settings to made-up ones, without the checks (see {@link
   * #CLUSTERS_UNCHECKED}).
   */
  public static Response changeUnchecked(
      TestTenant tenant, String clusterId, long version, Object body) {
    return as(tenant)
        .header("If-Match", "\"" + version + "\"")
        .queryParam("validate", false)
        .body(body)
        .patch("/api/v1/clusters/{id}", clusterId);
  }

  /**
   * Registers a syntactically valid cluster at a made-up address for the tenant, without the checks
   * (see {@link #CLUSTERS_UNCHECKED}), and returns its id.
   */
  public static String registerCluster(TestTenant tenant, String name) {
    return as(tenant)
        .body(ClusterBodies.valid(name))
        .post(CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
