package io.eci.vnode.service.cluster;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.eci.vnode.engine.node.Permissions;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registration is checked against the cluster's API server (a Kubernetes stand-in) and the
 * sandbox's ECI, VPC, ECS and STS through the real SDK before it is stored, and one cluster (its
 * kube-system namespace's uid) has one registration at a time, whichever tenant tries.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class RegistrationChecksIT {

  private static final String TOKEN = "stand-in-token";

  private final List<KubeSandbox> clusters = new ArrayList<>();
  private TestTenant tenant;

  @BeforeEach
  void newTenant() {
    tenant = Api.newTenant();
  }

  @AfterEach
  void stopClusters() {
    clusters.forEach(KubeSandbox::close);
  }

  @Test
  void aCheckedRegistrationRecordsTheClustersIdentityAndTheZoneOfEachVSwitch() {
    KubeSandbox kube = cluster();
    as(tenant)
        .body(body("checked", kube.url(), TOKEN))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .body("validation", equalTo("passed"))
        .body("apiServer.clusterIdentity", equalTo(identity(kube)))
        .body("eci.vSwitchIds", contains("vsw-b", "vsw-a"))
        .body("eci.vSwitches.id", contains("vsw-b", "vsw-a"))
        .body("eci.vSwitches.zoneId", contains("cn-hangzhou-b", "cn-hangzhou-a"));
  }

  @Test
  void aSecondRegistrationOfTheSameClusterByTheSameTenantIsRefusedWithoutNamingTheFirst() {
    KubeSandbox kube = cluster();
    String first = register(tenant, "first", kube);

    Response second = as(tenant).body(body("second", kube.url(), TOKEN)).post("/api/v1/clusters");

    assertRefusedWithoutNaming(second, first, "first", tenant);
    as(tenant)
        .get("/api/v1/clusters/{id}", first)
        .then()
        .statusCode(200)
        .body("apiServer.clusterIdentity", equalTo(identity(kube)));
    assertThat(names(tenant)).containsExactly("first");
  }

  @Test
  void aSecondRegistrationOfTheSameClusterByAnotherTenantIsRefusedWithoutNamingTheHolder() {
    KubeSandbox kube = cluster();
    String first = register(tenant, "held", kube);
    TestTenant other = Api.newTenant();

    // Another URL of the same API server (localhost for 127.0.0.1): the identity, not the address,
    // is what is compared.
    Response second =
        as(other)
            .body(body("mine-too", kube.url().replace("127.0.0.1", "localhost"), TOKEN))
            .post("/api/v1/clusters");

    assertRefusedWithoutNaming(second, first, "held", tenant);
    assertThat(names(other)).isEmpty();
    as(tenant).get("/api/v1/clusters/{id}", first).then().statusCode(200);
  }

  @Test
  void concurrentRegistrationsOfOneClusterStoreExactlyOne() throws Exception {
    KubeSandbox kube = cluster();
    TestTenant other = Api.newTenant();
    CyclicBarrier together = new CyclicBarrier(2);
    CompletableFuture<Integer> a = registerAt(together, tenant, "racer-a", kube);
    CompletableFuture<Integer> b = registerAt(together, other, "racer-b", kube);

    assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(201, 409);
    assertThat(names(tenant).size() + names(other).size()).isEqualTo(1);
  }

  @Test
  void aClusterCanBeRegisteredAgainOnceItsRegistrationIsDeleted() {
    KubeSandbox kube = cluster();
    String first = register(tenant, "once", kube);
    as(tenant).delete("/api/v1/clusters/{id}", first).then().statusCode(202);
    // Deregistration finishes in the background; the identity is free once the row is gone.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> as(tenant).get("/api/v1/clusters/{id}", first).then().statusCode(404));

    String again = register(Api.newTenant(), "again", kube);

    assertThat(again).isNotEqualTo(first);
  }

  @Test
  void aWrongAccessKeyIsRefusedNamingTheEciCredentialsWithTheCloudsErrorCode() {
    Map<String, Object> body = body("wrong-key", cluster().url(), TOKEN);
    eci(body).put("credentials", Map.of("accessKeyId", "LTAInobodys", "accessKeySecret", "x"));

    refused(body, "eci.credentials", "InvalidAccessKeyId.NotFound");
  }

  @Test
  void aWrongAccessKeySecretIsRefusedNamingTheEciCredentials() {
    Map<String, Object> body = body("wrong-secret", cluster().url(), TOKEN);
    eci(body)
        .put(
            "credentials",
            Map.of("accessKeyId", EciSandboxTestResource.KEY_A, "accessKeySecret", "not-it"));

    refused(body, "eci.credentials", "InvalidAccessKeySecret");
  }

  @Test
  void anUnknownVSwitchIsRefusedNamingItsPlaceInTheList() {
    Map<String, Object> body = body("no-such-vswitch", cluster().url(), TOKEN);
    eci(body).put("vSwitchIds", List.of("vsw-a", "vsw-nowhere"));

    refused(body, "eci.vSwitchIds[1]", "vSwitch vsw-nowhere does not exist in region cn-hangzhou");
  }

  @Test
  void anUnknownSecurityGroupIsRefusedNamingIt() {
    Map<String, Object> body = body("no-such-group", cluster().url(), TOKEN);
    eci(body).put("securityGroupId", "sg-nowhere");

    refused(body, "eci.securityGroupId", "sg-nowhere does not exist in region cn-hangzhou");
  }

  @Test
  void aRamRoleIsAssumedWhenTheRegistrationIsChecked() {
    Map<String, Object> body = body("role-ok", cluster().url(), TOKEN);
    eci(body).put("credentials", Map.of("ramRoleArn", EciSandboxTestResource.RAM_ROLE));
    as(tenant)
        .body(body)
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .body("validation", equalTo("passed"));

    Map<String, Object> foreign = body("role-foreign", cluster().url(), TOKEN);
    eci(foreign)
        .put("credentials", Map.of("ramRoleArn", "acs:ram::999999999999:role/eci-virtual-node"));
    refused(foreign, "eci.credentials.ramRoleArn", "EntityNotExist.Role");
  }

  @Test
  void missingPermissionsAreListedOneByOne() {
    KubeSandbox kube = cluster();
    kube.refuseInAccessReviews("patch", "pods/status");
    kube.refuseInAccessReviews("create", "bindings");

    JsonPath problem =
        as(tenant)
            .body(body("no-rbac", kube.url(), TOKEN))
            .post("/api/v1/clusters")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();

    assertThat(problem.getList("invalid-params.name", String.class))
        .containsExactly("apiServer.credentials", "apiServer.credentials");
    List<String> reasons = problem.getList("invalid-params.reason", String.class);
    assertThat(reasons.get(0)).contains("RBAC does not let them patch pods/status");
    assertThat(reasons.get(1)).contains("create bindings");
  }

  @Test
  void aTokenTheApiServerRefusesIsRefusedNamingTheCredentials() {
    KubeSandbox kube = KubeSandbox.startRequiringToken("the-right-token");
    clusters.add(kube);

    refused(body("bad-token", kube.url(), "a-wrong-token"), "apiServer.credentials", "401");
    as(tenant)
        .body(body("good-token", kube.url(), "the-right-token"))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .body("apiServer.clusterIdentity", equalTo(identity(kube)));
  }

  @Test
  void anUnreachableApiServerIsRefusedNamingTheUrlAndTheCause() throws IOException {
    String nobody = "http://127.0.0.1:" + freePort();

    refused(body("unreachable", nobody, TOKEN), "apiServer.url", "could not be reached");
  }

  @Test
  void validateFalseStoresUncheckedSettingsAndSaysSo() throws IOException {
    Map<String, Object> body = body("offline", "http://127.0.0.1:" + freePort(), TOKEN);
    eci(body).put("vSwitchIds", List.of("vsw-nowhere"));

    as(tenant)
        .body(body)
        .queryParam("validate", false)
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .body("validation", equalTo("skipped"))
        .body("apiServer.clusterIdentity", nullValue())
        .body("eci.vSwitches.zoneId", contains(nullValue()));
  }

  @Test
  void aChangeOfTheApiServerIsCheckedAndMovesTheIdentity() {
    KubeSandbox before = cluster();
    KubeSandbox after = cluster();
    KubeSandbox taken = cluster();
    String id = register(tenant, "moving", before);
    register(Api.newTenant(), "holder", taken);

    Api.change(tenant, id, 0, Map.of("apiServer", Map.of("url", taken.url())))
        .then()
        .statusCode(409)
        .body("detail", containsString("registered already"));
    Api.change(tenant, id, 0, Map.of("apiServer", Map.of("url", after.url())))
        .then()
        .statusCode(200)
        .body("validation", equalTo("passed"))
        .body("apiServer.clusterIdentity", equalTo(identity(after)));
    // The first cluster is free again.
    register(Api.newTenant(), "follower", before);
  }

  @Test
  void aChangeOfTheEciSettingsIsCheckedAndAnUncheckedOneForgetsWhatItChanged() {
    String id = register(tenant, "re-zoned", cluster());
    Api.change(tenant, id, 0, Map.of("eci", Map.of("vSwitchIds", List.of("vsw-nowhere"))))
        .then()
        .statusCode(400)
        .body("invalid-params[0].name", equalTo("eci.vSwitchIds[0]"));
    Api.change(tenant, id, 0, Map.of("eci", Map.of("vSwitchIds", List.of("vsw-a"))))
        .then()
        .statusCode(200)
        .body("eci.vSwitches.zoneId", contains("cn-hangzhou-a"));

    Api.changeUnchecked(tenant, id, 1, Map.of("eci", Map.of("vSwitchIds", List.of("vsw-b"))))
        .then()
        .statusCode(200)
        .body("validation", equalTo("skipped"))
        .body("eci.vSwitches.zoneId", contains(nullValue()))
        // The API server did not change, so its identity still holds.
        .body("apiServer.clusterIdentity", notNullValue());
  }

  @Test
  void measuresWhatTheChecksAddToARegistration() {
    int rounds = 5;
    long checked = 0;
    long unchecked = 0;
    for (int i = 0; i < rounds; i++) {
      KubeSandbox kube = cluster();
      long start = System.nanoTime();
      register(tenant, "timed-" + i, kube);
      checked += System.nanoTime() - start;
      start = System.nanoTime();
      as(tenant)
          .body(body("untimed-" + i, kube.url(), TOKEN))
          .queryParam("validate", false)
          .post("/api/v1/clusters")
          .then()
          .statusCode(201);
      unchecked += System.nanoTime() - start;
    }
    long checkedMs = checked / rounds / 1_000_000;
    long uncheckedMs = unchecked / rounds / 1_000_000;
    System.out.printf(
        "registration: %d ms checked, %d ms unchecked (mean of %d; %d permission reviews)%n",
        checkedMs, uncheckedMs, rounds, Permissions.REQUIRED.size());
    assertThat(checkedMs).isLessThan(5_000);
  }

  private void assertRefusedWithoutNaming(
      Response answer, String heldId, String heldName, TestTenant holder) {
    answer
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("invalid-params[0].name", equalTo("apiServer"))
        .body("detail", containsString("registered already"));
    String text = answer.asString();
    assertThat(text)
        .doesNotContain(heldId)
        .doesNotContain("\"" + heldName + "\"")
        .doesNotContain(holder.id())
        .doesNotContain(holder.name());
  }

  private void refused(Map<String, Object> body, String field, String reasonContains) {
    JsonPath problem =
        as(tenant)
            .body(body)
            .post("/api/v1/clusters")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();
    assertThat(problem.getList("invalid-params.name", String.class)).containsExactly(field);
    assertThat(problem.getString("invalid-params[0].reason")).contains(reasonContains);
    assertThat(names(tenant)).doesNotContain((String) body.get("name"));
  }

  private CompletableFuture<Integer> registerAt(
      CyclicBarrier together, TestTenant who, String name, KubeSandbox kube) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            together.await();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return as(who).body(body(name, kube.url(), TOKEN)).post("/api/v1/clusters").statusCode();
        });
  }

  private String register(TestTenant who, String name, KubeSandbox kube) {
    return as(who)
        .body(body(name, kube.url(), TOKEN))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static List<String> names(TestTenant who) {
    return as(who).get("/api/v1/clusters").then().statusCode(200).extract().path("items.name");
  }

  private KubeSandbox cluster() {
    KubeSandbox kube = KubeSandbox.start();
    clusters.add(kube);
    return kube;
  }

  private static String identity(KubeSandbox kube) {
    return kube.client().namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  private static Map<String, Object> body(String name, String url, String token) {
    Map<String, Object> eci = new LinkedHashMap<>();
    eci.put("vSwitchIds", List.of("vsw-b", "vsw-a"));
    eci.put("securityGroupId", EciSandboxTestResource.SECURITY_GROUP);
    eci.put(
        "credentials",
        Map.of(
            "accessKeyId",
            EciSandboxTestResource.KEY_A,
            "accessKeySecret",
            EciSandboxTestResource.SECRET_A));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("region", "cn-hangzhou");
    body.put("mode", "managed");
    body.put("apiServer", Map.of("url", url, "credentials", Map.of("token", token)));
    body.put("eci", eci);
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> eci(Map<String, Object> body) {
    return (Map<String, Object>) body.get("eci");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
