package io.eci.vnode.service.clusterstate;

import static io.eci.vnode.service.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.claims.Claim;
import io.eci.vnode.service.claims.ClaimStore;
import io.eci.vnode.service.claims.ClaimStoreIT;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
// Deleting a hosted cluster drains its ECI instances first: the drain needs an ECI to ask.
@WithTestResource(EciSandboxTestResource.class)
class ClusterStateIT {

  private static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");

  @Inject ClaimStore claims;
  @Inject ClusterStateStore state;

  private final String replica = "state-it-" + UUID.randomUUID();
  private TestTenant tenant;
  private String cluster;

  @BeforeEach
  void aRegisteredCluster() {
    tenant = Api.newTenant();
    cluster = Api.registerCluster(tenant, "observed");
  }

  @AfterEach
  void releaseTheClaims() {
    claims.retire(replica);
  }

  @Test
  void aClusterThatHasNotReportedSaysSo() {
    as(tenant)
        .get("/api/v1/clusters/{id}/status", cluster)
        .then()
        .statusCode(200)
        .body("clusterId", equalTo(cluster))
        .body("reported", equalTo(false))
        .body("nodeReady", nullValue());
    as(tenant)
        .get("/api/v1/clusters/{id}/pods", cluster)
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0))
        .body("nextPageToken", nullValue());
  }

  @Test
  void showsTheLastReportedStatus() {
    Claim claim = claim();
    Instant heartbeat = Instant.parse("2024-05-01T10:05:00Z");
    Instant failedAt = Instant.parse("2024-05-01T10:04:00Z");
    state.writeStatuses(
        List.of(
            new StatusRow(
                claim.clusterId(),
                claim.epoch(),
                false,
                heartbeat,
                new PodCounts(1, 2, 3, 4),
                Optional.empty(),
                Optional.of(LastError.of("Throttling.User: too many requests", failedAt)))));

    as(tenant)
        .get("/api/v1/clusters/{id}/status", cluster)
        .then()
        .statusCode(200)
        .body("reported", equalTo(true))
        .body("nodeReady", equalTo(false))
        .body("lastHeartbeatAt", equalTo("2024-05-01T10:05:00Z"))
        .body("owner", equalTo(replica))
        .body("pods.pending", equalTo(1))
        .body("pods.running", equalTo(2))
        .body("pods.succeeded", equalTo(3))
        .body("pods.failed", equalTo(4))
        .body("lastEciError.message", equalTo("Throttling.User: too many requests"))
        .body("lastEciError.at", equalTo("2024-05-01T10:04:00Z"))
        .body("lastApiError", nullValue())
        .body("reportedAt", notNullValue());
  }

  @Test
  void listsPodsInPagesByNamespaceAndName() {
    Claim claim = claim();
    state.writePods(
        List.of(
            pod(claim, "uid-5", "prod", "web-1", PodPhase.RUNNING),
            pod(claim, "uid-1", "dev", "job-1", PodPhase.SUCCEEDED),
            pod(claim, "uid-4", "prod", "web-0", PodPhase.PENDING),
            deleted(pod(claim, "uid-3", "prod", "api", PodPhase.FAILED)),
            pod(claim, "uid-2", "prod", "api", PodPhase.RUNNING)));

    var first = page(null, 2).body("items.uid", contains("uid-1", "uid-2")).extract();
    var second =
        page(first.path("nextPageToken"), 2)
            .body("items.uid", contains("uid-3", "uid-4"))
            .extract();
    page(second.path("nextPageToken"), 2)
        .body("items.uid", contains("uid-5"))
        .body("nextPageToken", nullValue());

    as(tenant)
        .get("/api/v1/clusters/{id}/pods", cluster)
        .then()
        .body("items[0].namespace", equalTo("dev"))
        .body("items[0].name", equalTo("job-1"))
        .body("items[0].instanceId", equalTo("eci-uid-1"))
        .body("items[0].zone", equalTo("cn-hangzhou-k"))
        .body("items[0].phase", equalTo("Succeeded"))
        .body("items[0].createdAt", equalTo("2024-05-01T10:00:00Z"))
        .body("items[0].deletedAt", nullValue())
        .body("items[2].deletedAt", equalTo("2024-05-01T11:00:00Z"));
  }

  @Test
  void filtersPodsByPhase() {
    Claim claim = claim();
    state.writePods(
        List.of(
            pod(claim, "uid-1", "default", "a", PodPhase.RUNNING),
            pod(claim, "uid-2", "default", "b", PodPhase.PENDING),
            pod(claim, "uid-3", "default", "c", PodPhase.RUNNING)));

    var first =
        as(tenant)
            .queryParam("phase", "Running")
            .queryParam("limit", 1)
            .get("/api/v1/clusters/{id}/pods", cluster)
            .then()
            .statusCode(200)
            .body("items.name", contains("a"))
            .extract();
    as(tenant)
        .queryParam("phase", "Running")
        .queryParam("pageToken", first.<String>path("nextPageToken"))
        .get("/api/v1/clusters/{id}/pods", cluster)
        .then()
        .body("items.name", contains("c"))
        .body("nextPageToken", nullValue());
  }

  @Test
  void aLedgerRowKeepsItsInstanceAndDeletionOnceKnown() {
    Claim claim = claim();
    state.writePods(List.of(deleted(pod(claim, "uid-1", "default", "a", PodPhase.RUNNING))));
    Written again =
        state.writePods(
            List.of(
                new PodRow(
                    claim.clusterId(),
                    claim.epoch(),
                    "uid-1",
                    "default",
                    "a",
                    null,
                    null,
                    PodPhase.SUCCEEDED,
                    CREATED,
                    null)));
    Written unchanged =
        state.writePods(List.of(deleted(pod(claim, "uid-1", "default", "a", PodPhase.SUCCEEDED))));

    assertThat(again.rows()).isEqualTo(1);
    assertThat(unchanged.rows()).as("a row equal to the stored one is not rewritten").isZero();
    as(tenant)
        .get("/api/v1/clusters/{id}/pods", cluster)
        .then()
        .body("items[0].phase", equalTo("Succeeded"))
        .body("items[0].instanceId", equalTo("eci-uid-1"))
        .body("items[0].deletedAt", equalTo("2024-05-01T11:00:00Z"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "limit, 0",
    "limit, 201",
    "limit, many",
    "phase, running",
    "pageToken, '%%%'",
    "pageToken, bm90LWEtY3Vyc29y"
  })
  void refusesABadListParameterNamingIt(String param, String value) {
    as(tenant)
        .queryParam(param, value)
        .get("/api/v1/clusters/{id}/pods", cluster)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params[0].name", equalTo(param));
  }

  @Test
  void anotherTenantsClusterHasNeitherStatusNorPods() {
    Claim claim = claim();
    state.writeStatuses(List.of(ClaimStoreIT.status(claim, true)));
    state.writePods(List.of(ClaimStoreIT.pod(claim, "web-0", PodPhase.RUNNING)));
    TestTenant other = Api.newTenant();

    for (String endpoint : List.of("status", "pods")) {
      as(other)
          .get("/api/v1/clusters/{id}/" + endpoint, cluster)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("detail", equalTo("No cluster with id " + cluster));
      as(tenant).get("/api/v1/clusters/{id}/" + endpoint, cluster).then().statusCode(200);
    }
  }

  @Test
  void unknownAndMalformedClusterIdsAreNotFound() {
    for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
      as(tenant).get("/api/v1/clusters/{id}/status", id).then().statusCode(404);
      as(tenant).get("/api/v1/clusters/{id}/pods", id).then().statusCode(404);
    }
  }

  @Test
  void deregisteringAClusterFencesItsWritersAtOnceAndSaysSoInItsStatus() {
    Claim claim = claim();
    state.writeStatuses(List.of(ClaimStoreIT.status(claim, true)));
    state.writePods(List.of(ClaimStoreIT.pod(claim, "web-0", PodPhase.RUNNING)));

    as(tenant).delete("/api/v1/clusters/{id}", cluster).then().statusCode(202);

    assertThat(state.writeStatuses(List.of(ClaimStoreIT.status(claim, true))).fenced())
        .containsExactly(claim.clusterId());
    assertThat(claims.isCurrent(claim)).isFalse();
    as(tenant)
        .get("/api/v1/clusters/{id}/status", cluster)
        .then()
        .statusCode(200)
        .body("state", equalTo("deregistering"))
        .body("nodeReady", equalTo(false))
        .body("owner", nullValue())
        .body("deregistration.since", notNullValue());
  }

  @Test
  void theOpenApiDocumentDescribesBothEndpoints() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/api/v1/clusters/{id}/status'.get.summary", notNullValue())
        .body(
            "paths.'/api/v1/clusters/{id}/pods'.get.parameters.name",
            hasItems("limit", "pageToken", "phase"));
  }

  /** Claims every claimable cluster, this test's among them, and returns this test's claim. */
  private Claim claim() {
    return claims.claim(replica, Integer.MAX_VALUE, Duration.ofHours(1)).stream()
        .filter(c -> c.clusterId().toString().equals(cluster))
        .findFirst()
        .orElseThrow();
  }

  private ValidatableResponse page(String token, int limit) {
    var request = as(tenant).queryParam("limit", limit);
    if (token != null) {
      request.queryParam("pageToken", token);
    }
    return request.get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(200);
  }

  private static PodRow pod(
      Claim claim, String uid, String namespace, String name, PodPhase phase) {
    return new PodRow(
        claim.clusterId(),
        claim.epoch(),
        uid,
        namespace,
        name,
        "eci-" + uid,
        "cn-hangzhou-k",
        phase,
        CREATED,
        null);
  }

  private static PodRow deleted(PodRow pod) {
    return new PodRow(
        pod.clusterId(),
        pod.epoch(),
        pod.podUid(),
        pod.namespace(),
        pod.name(),
        pod.instanceId(),
        pod.zone(),
        pod.phase(),
        pod.createdAt(),
        Instant.parse("2024-05-01T11:00:00Z"));
  }
}
