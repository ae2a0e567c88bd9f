package io.eci.vnode.service.tenant;

import static io.eci.vnode.service.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TenantIsolationIT {

  private TestTenant tenantA;
  private TestTenant tenantB;
  private String clusterOfB;

  @BeforeEach
  void twoTenants() {
    tenantA = Api.newTenant();
    tenantB = Api.newTenant();
    clusterOfB = Api.registerCluster(tenantB, "b-private");
  }

  interface Call extends Function<RequestSpecification, Response> {}

  static Stream<Arguments> everyEndpointWithAClusterId() {
    return Stream.of(
        Arguments.of("GET", (Call) r -> r.get("/api/v1/clusters/{id}", ID.get())),
        Arguments.of(
            "PATCH without If-Match",
            (Call)
                r -> r.body(Map.of("mode", "unmanaged")).patch("/api/v1/clusters/{id}", ID.get())),
        Arguments.of(
            "PATCH with the right version",
            (Call)
                r ->
                    r.header("If-Match", "\"0\"")
                        .body(Map.of("mode", "unmanaged"))
                        .patch("/api/v1/clusters/{id}", ID.get())),
        Arguments.of("GET status", (Call) r -> r.get("/api/v1/clusters/{id}/status", ID.get())),
        Arguments.of("GET pods", (Call) r -> r.get("/api/v1/clusters/{id}/pods", ID.get())),
        Arguments.of("DELETE", (Call) r -> r.delete("/api/v1/clusters/{id}", ID.get())),
        Arguments.of(
            "DELETE with the right version",
            (Call) r -> r.header("If-Match", "\"0\"").delete("/api/v1/clusters/{id}", ID.get())));
  }

  /** The id under attack, set per test (parameter sources are static). */
  private static final ThreadLocal<String> ID = new ThreadLocal<>();

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyEndpointWithAClusterId")
  void anotherTenantsClusterIsNotFound(String endpoint, Call call) {
    ID.set(clusterOfB);
    call.apply(as(tenantA))
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", equalTo("No cluster with id " + clusterOfB));
    as(tenantB)
        .get("/api/v1/clusters/{id}", clusterOfB)
        .then()
        .statusCode(200)
        .body("mode", equalTo("managed"))
        .body("version", equalTo(0));
  }

  @Test
  void anotherTenantsClustersAreNotListed() {
    Api.registerCluster(tenantA, "a-own");
    as(tenantA)
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .body("items.name", hasItem("a-own"))
        .body("items.id", not(hasItem(clusterOfB)));
    as(tenantA)
        .queryParam("name", "b-private")
        .get("/api/v1/clusters")
        .then()
        .body("items.size()", equalTo(0));
  }

  @Test
  void anotherTenantsAuditTrailIsNotShown() {
    as(tenantA)
        .queryParam("targetId", clusterOfB)
        .get("/api/v1/audit")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
    as(tenantA).get("/api/v1/audit").then().body("targetId", not(hasItem(clusterOfB)));
    as(tenantB)
        .queryParam("targetId", clusterOfB)
        .get("/api/v1/audit")
        .then()
        .body("size()", equalTo(1));
  }

  @Test
  void aNameUsedByAnotherTenantIsFree() {
    as(tenantA)
        .body(ClusterBodies.valid("b-private"))
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201);
  }

  @Test
  void aTenantCannotAdministerTenants() {
    as(tenantA)
        .get("/api/v1/tenants")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    as(tenantA).get("/api/v1/tenants/{id}/tokens", tenantB.id()).then().statusCode(403);
    as(tenantA).post("/api/v1/tenants/{id}/tokens", tenantA.id()).then().statusCode(403);
    as(tenantA)
        .delete("/api/v1/tenants/{id}/tokens/{t}", tenantB.id(), tenantB.tokenId())
        .then()
        .statusCode(403);
    as(tenantB).get("/api/v1/clusters/{id}", clusterOfB).then().statusCode(200);
  }
}
