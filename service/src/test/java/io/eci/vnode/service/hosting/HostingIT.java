package io.eci.vnode.service.hosting;

import static io.eci.vnode.service.Api.as;
import static io.eci.vnode.service.hosting.StandInClusters.awaitReadyNode;
import static io.eci.vnode.service.hosting.StandInClusters.awaitRunning;
import static io.eci.vnode.service.hosting.StandInClusters.body;
import static io.eci.vnode.service.hosting.StandInClusters.ownershipHolder;
import static io.eci.vnode.service.hosting.StandInClusters.status;
import static io.eci.vnode.service.hosting.StandInClusters.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.pod.PodController;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.claims.ClaimStore;
import io.eci.vnode.service.claims.Revocations;
import io.eci.vnode.service.clusterstate.ClusterStateStore;
import io.eci.vnode.service.hosting.StandInClusters.Registered;
import io.eci.vnode.service.webhook.WebhookSecrets;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed mode end to end: registered clusters (Kubernetes stand-ins) get a virtual node from the
 * service and run labelled pods as instances in the sandbox's ECI, through the real SDK.
 */
@QuarkusTest
@TestProfile(HostingProfile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class HostingIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String NODE = "virtual-kubelet-cn-hangzhou-a";

  @Inject Host host;
  @Inject HostingConfig config;
  @Inject ClaimStore claims;
  @Inject Revocations revocations;
  @Inject EngineFactory engines;
  @Inject ClusterStateStore state;
  @Inject MeterRegistry registry;
  @Inject ClusterGuards guards;
  @Inject WebhookSecrets webhookSecrets;

  private final List<KubeSandbox> clusters = new ArrayList<>();
  private final List<Host> extraReplicas = new ArrayList<>();

  @BeforeEach
  void hostIsRunning() {
    host.start();
  }

  @AfterEach
  void stopEverything() {
    extraReplicas.forEach(Host::stop);
    clusters.forEach(KubeSandbox::close);
  }

  @Test
  void eachRegisteredClusterOfEachTenantGetsAReadyNodeAndRunsItsLabelledPod() {
    TestTenant a = Api.newTenant();
    TestTenant b = Api.newTenant();
    List<Registered> registered =
        List.of(
            registerWithKeyA(a, "shop-"),
            registerWithKeyA(a, "blog-"),
            register(
                b,
                "bank-" + suffix(),
                EciSandboxTestResource.KEY_B,
                EciSandboxTestResource.SECRET_B));

    for (Registered r : registered) {
      awaitReadyNode(r.kube(), DEADLINE);
      r.kube().pods().inNamespace("default").resource(TestPods.labelled("web")).create();
    }
    for (Registered r : registered) {
      Pod running = awaitRunning(r.kube(), "web");
      assertThat(running.getStatus().getPodIP()).startsWith("10.1.");
      assertThat(running.getSpec().getNodeName()).isEqualTo(NODE);
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                JsonPath status = status(r);
                assertThat(status.getBoolean("nodeReady")).isTrue();
                assertThat(status.getInt("pods.running")).isEqualTo(1);
                assertThat(status.getString("owner")).isEqualTo("replica-1");
                JsonPath pods =
                    as(r.tenant())
                        .get("/api/v1/clusters/{id}/pods", r.id())
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                assertThat(pods.getList("items.name")).containsExactly("web");
                assertThat(pods.getString("items[0].instanceId")).startsWith("eci-");
                assertThat(pods.getString("items[0].zone")).isEqualTo("cn-hangzhou-a");
                assertThat(pods.getString("items[0].phase")).isEqualTo("Running");
              });
    }
    // Each cluster got a webhook configuration pointing at its own path, narrowed and failing
    // closed,
    // and the service answers it with the patch that steers a labelled pod to the node.
    for (Registered r : registered) {
      var webhook =
          r.kube()
              .admissionRegistration()
              .v1()
              .mutatingWebhookConfigurations()
              .withName("eci-virtual-node")
              .get();
      assertThat(webhook.getWebhooks())
          .hasSize(2)
          .allSatisfy(
              w -> {
                assertThat(w.getClientConfig().getUrl())
                    .isEqualTo(
                        "https://vnode.example.test/webhook/v1/clusters/"
                            + r.id()
                            + "/"
                            + webhookSecrets.of(UUID.fromString(r.id()))
                            + "/mutate");
                assertThat(w.getFailurePolicy()).isEqualTo("Fail");
              });
      assertThat(webhook.getWebhooks().get(0).getObjectSelector().getMatchExpressions())
          .singleElement()
          .satisfies(e -> assertThat(e.getKey()).isEqualTo("alibabacloud.com/eci"));
      assertThat(webhook.getWebhooks().get(1).getNamespaceSelector().getMatchExpressions())
          .singleElement()
          .satisfies(e -> assertThat(e.getKey()).isEqualTo("alibabacloud.com/eci"));
    }
    String review =
        RestAssured.given()
            .contentType("application/json")
            .body(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                    + "\"request\":{\"uid\":\"r-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
                    + "\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"namespace\":\"default\","
                    + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\","
                    + "\"labels\":{\"alibabacloud.com/eci\":\"true\"}},\"spec\":{\"containers\":"
                    + "[{\"name\":\"app\",\"image\":\"nginx\"}]}}}}")
            .post(
                "/webhook/v1/clusters/{id}/{secret}/mutate",
                registered.get(0).id(),
                webhookSecrets.of(UUID.fromString(registered.get(0).id())))
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonPath answer = new JsonPath(review);
    assertThat(answer.getString("response.uid")).isEqualTo("r-1");
    assertThat(answer.getBoolean("response.allowed")).isTrue();
    assertThat(
            new String(
                Base64.getDecoder().decode(answer.getString("response.patch")),
                StandardCharsets.UTF_8))
        .contains("virtual-kubelet.io/provider")
        .contains("virtual-kubelet");

    // Prometheus shows each hosted cluster's pods by phase, tagged with cluster and tenant.
    String metrics =
        RestAssured.given()
            .auth()
            .oauth2(Api.OPERATOR_TOKEN)
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    for (Registered r : registered) {
      assertThat(metrics)
          .containsPattern(
              "vnode_cluster_pods\\{cluster=\""
                  + r.id()
                  + "\",phase=\"Running\",tenant=\""
                  + r.tenant().id()
                  + "\"} 1\\.0");
    }
    assertThat(metrics).contains("vnode_eci_calls_total{cluster=\"" + registered.get(0).id());
    assertThat(metrics)
        .as("one create, in the create latency histogram")
        .containsPattern(
            "vnode_pod_create_seconds_count\\{cluster=\""
                + registered.get(0).id()
                + "\",tenant=\"[^\"]+\"} 1\\.0");
    // Each tenant sees only its own: tenant B cannot read tenant A's cluster's status or pods.
    as(b).get("/api/v1/clusters/{id}/status", registered.get(0).id()).then().statusCode(404);
    as(b).get("/api/v1/clusters/{id}/pods", registered.get(0).id()).then().statusCode(404);
    as(a).get("/api/v1/clusters/{id}/pods", registered.get(2).id()).then().statusCode(404);
  }

  @Test
  void aConfigChangeAppliesToNewPodsOnlyAndTheNodeKeepsItsName() {
    TestTenant a = Api.newTenant();
    Registered cluster = registerWithKeyA(a, "changing-");
    awaitReadyNode(cluster.kube(), DEADLINE);
    cluster.kube().pods().inNamespace("default").resource(TestPods.labelled("before")).create();
    Pod before = awaitRunning(cluster.kube(), "before");
    assertThat(before.getStatus().getPodIP()).startsWith("10.1.");
    int version = as(a).get("/api/v1/clusters/{id}", cluster.id()).then().extract().path("version");
    var engineBefore = host.engine(UUID.fromString(cluster.id())).orElseThrow();

    Api.change(a, cluster.id(), version, Map.of("eci", Map.of("vSwitchIds", List.of("vsw-b"))))
        .then()
        .statusCode(200);

    // The engine restarts with the change; the node keeps its name, so the running pod stays put.
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                host.engine(UUID.fromString(cluster.id()))
                    .filter(e -> e != engineBefore && e.isOwner())
                    .isPresent());
    cluster.kube().pods().inNamespace("default").resource(TestPods.labelled("after")).create();
    assertThat(awaitRunning(cluster.kube(), "after").getStatus().getPodIP()).startsWith("10.2.");
    Pod still = cluster.kube().pods().inNamespace("default").withName("before").get();
    assertThat(still.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(still.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
    assertThat(still.getSpec().getNodeName()).isEqualTo(NODE);
    assertThat(cluster.kube().nodes().withName(NODE).get()).isNotNull();
  }

  @Test
  void aClusterRegisteredWithARamRoleRunsItsPodsAsTheRole() {
    TestTenant a = Api.newTenant();
    long assumedBefore = EciSandboxTestResource.eci.counters().calls("AssumeRole");
    Registered cluster =
        register(
            a,
            "role-" + suffix(),
            Map.of("ramRoleArn", "acs:ram::1234567890123456:role/eci-virtual-node"));

    awaitReadyNode(cluster.kube(), DEADLINE);
    cluster.kube().pods().inNamespace("default").resource(TestPods.labelled("as-role")).create();

    assertThat(awaitRunning(cluster.kube(), "as-role").getStatus().getPodIP()).isNotEmpty();
    assertThat(EciSandboxTestResource.eci.counters().calls("AssumeRole"))
        .as(
            "the service assumed the owner's role once to check the registration and once for"
                + " the engine: the engine's credentials are kept until renewal")
        .isEqualTo(assumedBefore + 2);
    assertThat(status(cluster).getString("lastEciError")).isNull();
  }

  @Test
  void pausingStopsTheEngineAndLeavesTheNodeNotReadyWithPodsRunningUntilResumed() {
    TestTenant a = Api.newTenant();
    Registered cluster = registerWithKeyA(a, "paused-");
    awaitReadyNode(cluster.kube(), DEADLINE);
    cluster.kube().pods().inNamespace("default").resource(TestPods.labelled("kept")).create();
    Pod kept = awaitRunning(cluster.kube(), "kept");
    UUID id = UUID.fromString(cluster.id());

    Api.change(a, cluster.id(), version(cluster), Map.of("paused", true))
        .then()
        .statusCode(200)
        .body("paused", equalTo(true));

    await()
        .atMost(DEADLINE)
        .until(() -> readyCondition(cluster.kube()).getReason().equals("VirtualNodePaused"));
    assertThat(host.engine(id)).isEmpty();
    assertThat(readyCondition(cluster.kube()).getStatus()).isEqualTo("False");
    assertThat(readyCondition(cluster.kube()).getMessage()).contains("resumed");
    cluster.kube().pods().inNamespace("default").resource(TestPods.labelled("waiting")).create();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                cluster
                        .kube()
                        .pods()
                        .inNamespace("default")
                        .withName("waiting")
                        .get()
                        .getSpec()
                        .getNodeName()
                    == null);
    assertThat(instancesOf(cluster)).as("a paused cluster's instances are left running").isOne();

    Api.change(a, cluster.id(), version(cluster), Map.of("paused", false)).then().statusCode(200);

    awaitReadyNode(cluster.kube(), DEADLINE);
    assertThat(awaitRunning(cluster.kube(), "waiting").getStatus().getPodIP()).isNotEmpty();
    Pod still = cluster.kube().pods().inNamespace("default").withName("kept").get();
    assertThat(still.getMetadata().getUid()).isEqualTo(kept.getMetadata().getUid());
    assertThat(still.getStatus().getPodIP()).isEqualTo(kept.getStatus().getPodIP());
    assertThat(instancesOf(cluster)).isEqualTo(2);
  }

  @Test
  void switchingToUnmanagedReleasesTheLeaseAndLeavesTheNodeReadyForTheAgentToTakeOver() {
    TestTenant a = Api.newTenant();
    Registered cluster = registerWithKeyA(a, "handed-");
    awaitReadyNode(cluster.kube(), DEADLINE);

    Api.switchWithoutAgent(a, cluster.id(), version(cluster), "unmanaged").then().statusCode(200);

    // The Lease is released on the way out: the agent need not wait for it to expire.
    await().atMost(DEADLINE).until(() -> ownershipHolder(cluster.kube()).isEmpty());
    assertThat(host.engine(UUID.fromString(cluster.id()))).isEmpty();
    // Not marked NotReady: the node controller would mark every pod on it NotReady, and the
    // agent takes the node over within seconds.
    assertThat(readyCondition(cluster.kube()).getStatus()).isEqualTo("True");

    // And back: a replica's engine takes the Lease again, which ends the handoff, audited.
    Api.change(a, cluster.id(), version(cluster), Map.of("mode", "managed")).then().statusCode(200);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                as(a)
                    .get("/api/v1/clusters/{id}/status", cluster.id())
                    .then()
                    .body("state", equalTo("running"))
                    .body("handoff.toMode", equalTo("managed"))
                    .body("handoff.finishedAt", notNullValue()));
    as(a)
        .queryParam("targetId", cluster.id())
        .get("/api/v1/audit")
        .then()
        .body("[0].action", equalTo("cluster.handoff-finished"))
        .body("[0].details.toMode", equalTo("managed"));
  }

  @Test
  void aClusterWhoseApiServerGoesAwayShowsTheErrorWhileTheOthersKeepRunning() {
    TestTenant a = Api.newTenant();
    Registered doomed = registerWithKeyA(a, "doomed-");
    Registered healthy = registerWithKeyA(a, "healthy-");
    awaitReadyNode(doomed.kube(), DEADLINE);
    awaitReadyNode(healthy.kube(), DEADLINE);

    doomed.sandbox().close();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath status = status(doomed);
              assertThat(status.getString("lastApiError.message"))
                  .contains("not reachable")
                  .contains(String.valueOf(doomed.sandbox().port()));
            });
    healthy.kube().pods().inNamespace("default").resource(TestPods.labelled("api")).create();
    assertThat(awaitRunning(healthy.kube(), "api").getStatus().getPodIP()).isNotEmpty();
    assertThat(status(healthy).getString("lastApiError")).isNull();
  }

  @Test
  void aStoppedReplicasClustersMoveToTheOtherWithinALeaseWithoutRecreatingPods() {
    TestTenant a = Api.newTenant();
    List<Registered> registered = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      registered.add(
          register(
              a,
              "moving-" + i + "-" + suffix(),
              EciSandboxTestResource.KEY_A,
              EciSandboxTestResource.SECRET_A));
    }
    Host second =
        new Host(config, claims, revocations, engines, state, registry, guards, "replica-2");
    extraReplicas.add(second);
    second.start();
    List<UUID> ids = registered.stream().map(r -> UUID.fromString(r.id())).toList();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(host.hosted()).containsAnyElementsOf(ids);
              assertThat(second.hosted()).containsAnyElementsOf(ids);
            });
    Map<String, String> uidByCluster = new LinkedHashMap<>();
    for (Registered r : registered) {
      awaitReadyNode(r.kube(), DEADLINE);
      r.kube().pods().inNamespace("default").resource(TestPods.labelled("stay")).create();
    }
    for (Registered r : registered) {
      uidByCluster.put(r.id(), awaitRunning(r.kube(), "stay").getMetadata().getUid());
    }
    int instancesBefore = EciSandboxTestResource.eci.instanceCount();

    host.stop();

    await()
        .atMost(config.lease().plus(config.period().multipliedBy(3)))
        .untilAsserted(() -> assertThat(second.hosted()).containsAll(ids));
    for (Registered r : registered) {
      await()
          .atMost(DEADLINE)
          .untilAsserted(() -> assertThat(status(r).getString("owner")).isEqualTo("replica-2"));
      Pod pod = r.kube().pods().inNamespace("default").withName("stay").get();
      assertThat(pod.getMetadata().getUid()).isEqualTo(uidByCluster.get(r.id()));
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    }
    assertThat(EciSandboxTestResource.eci.instanceCount()).isEqualTo(instancesBefore);
  }

  @Test
  void deregistrationDeletesEveryInstanceOfTheClusterAndItsNodeBeforeTheRecord() {
    TestTenant a = Api.newTenant();
    Registered leaving = registerWithKeyA(a, "leaving-");
    awaitReadyNode(leaving.kube(), DEADLINE);
    for (String name : List.of("one", "two", "three")) {
      leaving.kube().pods().inNamespace("default").resource(TestPods.labelled(name)).create();
    }
    for (String name : List.of("one", "two", "three")) {
      awaitRunning(leaving.kube(), name);
    }
    assertThat(instancesOf(leaving)).isEqualTo(3);

    as(a)
        .delete("/api/v1/clusters/{id}?keepPods=true", leaving.id())
        .then()
        .statusCode(409)
        .body("detail", containsString("default/one"));
    assertThat(instancesOf(leaving)).isEqualTo(3);

    as(a)
        .delete("/api/v1/clusters/{id}", leaving.id())
        .then()
        .statusCode(202)
        .body("state", equalTo("deregistering"));
    assertThat(status(leaving).getString("state")).isIn("deregistering");

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> as(a).get("/api/v1/clusters/{id}", leaving.id()).then().statusCode(404));
    assertThat(instancesOf(leaving)).isZero();
    assertThat(leaving.kube().nodes().withName(NODE).get()).isNull();
    assertThat(
            leaving
                .kube()
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName("eci-virtual-node")
                .get())
        .isNull();
    as(a).get("/api/v1/clusters/{id}", leaving.id()).then().statusCode(404);
  }

  @Test
  void aSecondRegistrationOfAHostedClusterIsRefusedAndItsPodRunsOnUndisturbed() {
    TestTenant a = Api.newTenant();
    TestTenant b = Api.newTenant();
    Registered first = registerWithKeyA(a, "first-");
    awaitReadyNode(first.kube(), DEADLINE);
    first.kube().pods().inNamespace("default").resource(TestPods.labelled("steady")).create();
    Pod running = awaitRunning(first.kube(), "steady");
    String holder = ownershipHolder(first.kube());

    for (TestTenant tenant : List.of(b, a)) {
      as(tenant)
          .body(
              body(
                  "second-" + suffix(),
                  first.sandbox(),
                  Map.of(
                      "accessKeyId",
                      EciSandboxTestResource.KEY_B,
                      "accessKeySecret",
                      EciSandboxTestResource.SECRET_B)))
          .post("/api/v1/clusters")
          .then()
          .statusCode(409)
          .body("detail", containsString("registered already"))
          .body(not(containsString(first.id())));
    }

    // For several status periods: the pod stays Running on the same instance, the only one, and
    // the first registration's engine keeps the ownership Lease.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Pod now = first.kube().pods().inNamespace("default").withName("steady").get();
              assertThat(now.getStatus().getPhase()).isEqualTo("Running");
              assertThat(now.getMetadata().getAnnotations())
                  .containsEntry(
                      PodController.INSTANCE_ANNOTATION,
                      running
                          .getMetadata()
                          .getAnnotations()
                          .get(PodController.INSTANCE_ANNOTATION));
              assertThat(now.getStatus().getPodIP()).isEqualTo(running.getStatus().getPodIP());
              assertThat(instancesOf(first)).isEqualTo(1);
              assertThat(ownershipHolder(first.kube())).isEqualTo(holder);
            });
  }

  /** The cluster's instances, as ECI answers its owner through the SDK. */
  private static long instancesOf(Registered r) {
    return new EciSdkInstances(
            new DefaultAcsClient(
                DefaultProfile.getProfile(
                    "cn-hangzhou", EciSandboxTestResource.KEY_A, EciSandboxTestResource.SECRET_A)),
            "cn-hangzhou",
            Optional.of(EciSandboxTestResource.eci.endpoint()))
        .statusByTag(InstanceTags.CLUSTER, r.id())
        .size();
  }

  // ---- helpers

  /** A cluster of tenant A's AccessKey, named {@code prefix} plus a random suffix. */
  private Registered registerWithKeyA(TestTenant tenant, String prefix) {
    return register(
        tenant, prefix + suffix(), EciSandboxTestResource.KEY_A, EciSandboxTestResource.SECRET_A);
  }

  private Registered register(TestTenant tenant, String name, String key, String secret) {
    return register(tenant, name, Map.of("accessKeyId", key, "accessKeySecret", secret));
  }

  private Registered register(TestTenant tenant, String name, Map<String, String> eciCredentials) {
    KubeSandbox sandbox = KubeSandbox.start();
    clusters.add(sandbox);
    Map<String, Object> body = body(name, sandbox, eciCredentials);
    String id =
        as(tenant).body(body).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
    return new Registered(tenant, id, sandbox, sandbox.client());
  }

  private static NodeCondition readyCondition(KubernetesClient kube) {
    return kube.nodes().withName(NODE).get().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
