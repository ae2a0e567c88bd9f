package io.eci.vnode.service.hosting;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deregistration ends, in the background, whatever ECI answers, and removes only what the
 * registration made; the status says honestly what is going on meanwhile. Against the sandbox's ECI
 * (through the real SDK), Kubernetes stand-ins and PostgreSQL.
 */
@QuarkusTest
@TestProfile(HostingProfile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class DeregistrationIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String NODE = "virtual-kubelet-cn-hangzhou-a";
  private static final Map<String, String> BROKEN_KEY =
      Map.of("accessKeyId", "LTAIrevokedKey", "accessKeySecret", "revoked-secret");

  @Inject Host host;

  private final List<KubeSandbox> clusters = new ArrayList<>();

  @BeforeEach
  void hostIsRunning() {
    host.start();
  }

  @AfterEach
  void closeClusters() {
    clusters.forEach(KubeSandbox::close);
  }

  @Test
  void aDeregistrationEndsWithItsInstancesAndNodeGoneAndLeavesOtherVirtualNodesAlone() {
    TestTenant tenant = Api.newTenant();
    Registered r = register(tenant, "leaving-", validKey());
    awaitRunning(r.kube(), "web");
    // Another product's virtual node in the same cluster, with its heartbeat Lease.
    r.kube()
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("virtual-kubelet-ack")
                .addToLabels("type", "virtual-kubelet")
                .endMetadata()
                .build())
        .create();
    r.kube()
        .leases()
        .inNamespace("kube-node-lease")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("virtual-kubelet-ack")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("virtual-kubelet-ack")
                .endSpec()
                .build())
        .create();
    Node ours = r.kube().nodes().withName(NODE).get();
    assertThat(ours.getMetadata().getLabels()).containsEntry(NodeController.CLUSTER_LABEL, r.id());

    as(tenant)
        .delete("/api/v1/clusters/{id}", r.id())
        .then()
        .statusCode(202)
        .header("Location", org.hamcrest.Matchers.endsWith("/clusters/" + r.id() + "/status"))
        .body("state", equalTo("deregistering"));
    JsonPath deregistering = status(r);
    assertThat(deregistering.getString("state")).isEqualTo("deregistering");
    assertThat(deregistering.getString("owner")).isNull();
    assertThat(deregistering.getBoolean("nodeReady")).isFalse();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> as(tenant).get("/api/v1/clusters/{id}/status", r.id()).then().statusCode(404));
    assertThat(instancesOf(r.id())).isEmpty();
    assertThat(r.kube().nodes().withName(NODE).get()).isNull();
    assertThat(r.kube().leases().inNamespace("kube-node-lease").withName(NODE).get()).isNull();
    assertThat(r.kube().nodes().withName("virtual-kubelet-ack").get()).isNotNull();
    assertThat(
            r.kube().leases().inNamespace("kube-node-lease").withName("virtual-kubelet-ack").get())
        .isNotNull();
  }

  @Test
  void aClusterWithBrokenCredentialsStaysDeregisteringSayingWhyUntilForcedWhichListsWhatItLeft() {
    TestTenant tenant = Api.newTenant();
    Registered r = register(tenant, "broken-", validKey());
    Pod web = awaitRunning(r.kube(), "web");
    String instance = awaitLedgerInstance(r);
    // The credentials stop working (rotated elsewhere): the instance runs on, out of reach.
    as(tenant)
        .header("If-Match", "\"" + version(r) + "\"")
        .queryParam("validate", "false")
        .body(Map.of("eci", Map.of("credentials", BROKEN_KEY)))
        .patch("/api/v1/clusters/{id}", r.id())
        .then()
        .statusCode(200);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(status(r).getString("lastEciError.code"))
                    .isEqualTo("InvalidAccessKeyId.NotFound"));

    as(tenant).delete("/api/v1/clusters/{id}", r.id()).then().statusCode(202);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath s = status(r);
              assertThat(s.getString("state")).isEqualTo("deregistering");
              assertThat(s.getInt("deregistration.attempts")).isGreaterThanOrEqualTo(2);
              assertThat(s.getString("deregistration.lastError.message"))
                  .contains("InvalidAccessKeyId.NotFound");
            });
    assertThat(instancesOf(r.id())).extracting(InstanceState::id).containsExactly(instance);
    // Not even valid credentials are taken now: a change would race the drain.
    as(tenant)
        .header("If-Match", "\"" + version(r) + "\"")
        .queryParam("validate", "false")
        .body(Map.of("eci", Map.of("credentials", validKey())))
        .patch("/api/v1/clusters/{id}", r.id())
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("type", endsWith("/problems/deregistering"))
        .body("detail", containsString("force=true"));

    JsonPath forced =
        as(tenant)
            .queryParam("force", "true")
            .delete("/api/v1/clusters/{id}", r.id())
            .then()
            .statusCode(200)
            .body("state", equalTo("deleted"))
            .body("forced", equalTo(true))
            .extract()
            .jsonPath();
    assertThat(forced.getList("instancesLeft.id")).containsExactly(instance);
    assertThat(forced.getString("instancesLeft[0].source")).isEqualTo("ledger");
    assertThat(forced.getString("instancesLeft[0].tags.'" + InstanceTags.POD_UID + "'"))
        .isEqualTo(web.getMetadata().getUid());
    as(tenant).get("/api/v1/clusters/{id}", r.id()).then().statusCode(404);
    assertThat(r.kube().nodes().withName(NODE).get()).isNull();
    JsonPath audit =
        as(tenant)
            .queryParam("targetId", r.id())
            .get("/api/v1/audit")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(audit.getString("[0].action")).isEqualTo("cluster.deleted");
    assertThat(audit.getList("[0].details.instancesLeft.id")).containsExactly(instance);

    new EciSdkInstances(ownerSdk(), "cn-hangzhou", Optional.of(endpoint())).delete(instance);
  }

  @Test
  void aBreakerThatStaysOpenForAMinuteStillShowsTheUnderlyingCause() {
    TestTenant tenant = Api.newTenant();
    Registered r = register(tenant, "refused-", BROKEN_KEY);

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(status(r).getString("lastEciError.message"))
                    .startsWith("circuit open since "));
    // The breaker opens for 30 s, lets a trial call through, which fails, and opens again: for a
    // whole minute the status names the cause, never only the breaker.
    await()
        .during(Duration.ofSeconds(60))
        .atMost(Duration.ofSeconds(75))
        .untilAsserted(
            () -> {
              JsonPath s = status(r);
              assertThat(s.getString("state")).isEqualTo("failing");
              assertThat(s.getBoolean("nodeReady")).isFalse();
              assertThat(s.getString("lastEciError.message"))
                  .contains("last cause: ")
                  .contains("InvalidAccessKeyId.NotFound");
              assertThat(s.getString("lastEciError.code")).isEqualTo("InvalidAccessKeyId.NotFound");
              assertThat(s.getString("lastEciError.circuitOpenSince")).isNotNull();
              assertThat(s.getString("lastEciError.firstSeenAt")).isNotNull();
              assertThat(s.getLong("lastEciError.count")).isPositive();
            });
    JsonPath last = status(r);
    assertThat(java.time.Instant.parse(last.getString("lastEciError.circuitOpenSince")))
        .isBefore(java.time.Instant.now().minusSeconds(55));

    as(tenant)
        .queryParam("force", "true")
        .delete("/api/v1/clusters/{id}", r.id())
        .then()
        .statusCode(200);
  }

  @Test
  void aPausedClusterIsNotShownReadyNorOwned() {
    TestTenant tenant = Api.newTenant();
    Registered r = register(tenant, "pausing-", validKey());
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath s = status(r);
              assertThat(s.getString("state")).isEqualTo("running");
              assertThat(s.getBoolean("nodeReady")).isTrue();
              assertThat(s.getBoolean("stale")).isFalse();
              assertThat(s.getString("owner")).isEqualTo(host.replica());
            });

    Api.change(tenant, r.id(), version(r), Map.of("paused", true)).then().statusCode(200);

    JsonPath paused = status(r);
    assertThat(paused.getString("state")).isEqualTo("paused");
    assertThat(paused.getBoolean("nodeReady")).isFalse();
    assertThat(paused.getString("owner")).isNull();
    // Nobody reports for a paused cluster: after two periods its last report is stale.
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(status(r).getBoolean("stale")).isTrue());

    as(tenant).queryParam("force", "true").delete("/api/v1/clusters/{id}", r.id());
  }

  // ---- helpers

  private record Registered(TestTenant tenant, String id, KubernetesClient kube) {}

  private static Map<String, String> validKey() {
    return Map.of(
        "accessKeyId",
        EciSandboxTestResource.KEY_A,
        "accessKeySecret",
        EciSandboxTestResource.SECRET_A);
  }

  /** A managed cluster with the given ECI credentials running a labelled pod {@code web}. */
  private Registered register(TestTenant tenant, String prefix, Map<String, String> credentials) {
    KubeSandbox sandbox = KubeSandbox.start();
    clusters.add(sandbox);
    Map<String, Object> body =
        StandInClusters.body(
            prefix + UUID.randomUUID().toString().substring(0, 6), sandbox, credentials);
    String id =
        as(tenant)
            .queryParam("validate", "false")
            .body(body)
            .post("/api/v1/clusters")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    KubernetesClient kube = sandbox.client();
    kube.pods().inNamespace("default").resource(TestPods.labelled("web")).create();
    return new Registered(tenant, id, kube);
  }

  private static JsonPath status(Registered r) {
    return as(r.tenant())
        .get("/api/v1/clusters/{id}/status", r.id())
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static int version(Registered r) {
    return as(r.tenant()).get("/api/v1/clusters/{id}", r.id()).then().extract().path("version");
  }

  private static String awaitLedgerInstance(Registered r) {
    return await()
        .atMost(DEADLINE)
        .until(
            () ->
                as(r.tenant())
                    .get("/api/v1/clusters/{id}/pods", r.id())
                    .then()
                    .extract()
                    .<String>path("items[0].instanceId"),
            id -> id != null);
  }

  private static Pod awaitRunning(KubernetesClient kube, String name) {
    return await()
        .atMost(DEADLINE)
        .until(
            () -> kube.pods().inNamespace("default").withName(name).get(),
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  private static List<InstanceState> instancesOf(String clusterId) {
    return new EciSdkInstances(ownerSdk(), "cn-hangzhou", Optional.of(endpoint()))
        .statusByTag(InstanceTags.CLUSTER, clusterId);
  }

  private static DefaultAcsClient ownerSdk() {
    return new DefaultAcsClient(
        DefaultProfile.getProfile(
            "cn-hangzhou", EciSandboxTestResource.KEY_A, EciSandboxTestResource.SECRET_A));
  }

  private static String endpoint() {
    return EciSandboxTestResource.eci.endpoint();
  }
}
