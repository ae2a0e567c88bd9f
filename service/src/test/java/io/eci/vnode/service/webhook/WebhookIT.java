package io.eci.vnode.service.webhook;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.hosting.Host;
import io.eci.vnode.service.hosting.HostingProfile;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admission webhook answers only the API server that shows the cluster's secret, which the
 * service puts in the URL it installs in the cluster (a Kubernetes stand-in here).
 */
@QuarkusTest
@TestProfile(HostingProfile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class WebhookIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String PROBLEM = "application/problem+json";
  private static final String BASE = "https://vnode.example.test";

  @Inject Host host;
  @Inject WebhookSecrets secrets;

  private KubeSandbox cluster;
  private TestTenant tenant;

  @BeforeEach
  void startHosting() {
    host.start();
    tenant = Api.newTenant();
    cluster = KubeSandbox.start();
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void installsAUrlCarryingTheClustersSecretInPlaceOfAnOlderConfiguration() {
    // As an earlier release left it: the same configuration name, a URL without the secret.
    installOldConfiguration("https://vnode.example.test/webhook/v1/clusters/old/mutate");
    UUID id = register();
    String expected = BASE + "/webhook/v1/clusters/" + id + "/" + secrets.of(id) + "/mutate";

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(installed().getWebhooks())
                    .hasSize(2)
                    .extracting(w -> w.getClientConfig().getUrl())
                    .containsOnly(expected));
    assertThat(secrets.of(id)).hasSize(43).isNotEqualTo(secrets.of(UUID.randomUUID()));
  }

  @Test
  void answersTheApiServerThatShowsTheSecretWithThePatch() {
    UUID id = register();
    await().atMost(DEADLINE).until(() -> host.of(id).isPresent());

    // The URL as installed, with the timeout query an API server adds to every webhook call.
    String url = installed().getWebhooks().get(0).getClientConfig().getUrl().replace(BASE, "");
    Response answer = review().queryParam("timeout", "5s").post(url);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonPath review = answer.jsonPath();
    assertThat(review.getString("response.uid")).isEqualTo("r-1");
    assertThat(review.getBoolean("response.allowed")).isTrue();
    assertThat(
            new String(
                Base64.getDecoder().decode(review.getString("response.patch")),
                StandardCharsets.UTF_8))
        .contains("virtual-kubelet.io/provider");
  }

  @Test
  void refusesACallerThatKnowsOnlyTheClusterId() {
    UUID id = register();
    await().atMost(DEADLINE).until(() -> host.of(id).isPresent());

    assertRefused(review().post("/webhook/v1/clusters/{id}/mutate", id));
    assertRefused(review().post("/webhook/v1/clusters/{id}/{secret}/mutate", id, ""));
  }

  @Test
  void refusesAWrongSecretAndAnotherClustersSecretAlike() {
    UUID id = register();
    UUID other = UUID.randomUUID();
    await().atMost(DEADLINE).until(() -> host.of(id).isPresent());

    String wrong = review().post(path(id, "A".repeat(43))).then().extract().path("detail");
    assertRefused(review().post(path(id, "A".repeat(43))));
    assertRefused(review().post(path(id, secrets.of(other))));
    assertRefused(review().post(path(id, secrets.of(id) + "x")));
    assertRefused(review().post(path(id, "not base64!")));
    // A registered cluster and an id of no cluster get the same answer: nothing says which exists.
    assertRefused(review().post(path(other, secrets.of(id))));
    assertThat(review().post(path(other, "A".repeat(43))).then().extract().<String>path("detail"))
        .isEqualTo(wrong);
    assertRefused(review().post(path("not-a-cluster", secrets.of(id))));
  }

  private static void assertRefused(Response answer) {
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.contentType()).isEqualTo(PROBLEM);
    JsonPath problem = answer.jsonPath();
    assertThat(problem.getString("type")).isEqualTo("/problems/forbidden");
    assertThat(problem.getInt("status")).isEqualTo(403);
    assertThat(problem.getString("requestId")).isNotBlank();
    assertThat(answer.asString()).doesNotContain("patch").doesNotContain("allowed");
  }

  private static String path(Object id, String secret) {
    return "/webhook/v1/clusters/" + id + "/" + secret + "/mutate";
  }

  private static RequestSpecification review() {
    return RestAssured.given()
        .contentType("application/json")
        .body(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
                + "\"request\":{\"uid\":\"r-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\","
                + "\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"namespace\":\"default\","
                + "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\","
                + "\"labels\":{\"alibabacloud.com/eci\":\"true\"}},\"spec\":{\"containers\":"
                + "[{\"name\":\"app\",\"image\":\"nginx\"}]}}}}");
  }

  private MutatingWebhookConfiguration installed() {
    return cluster
        .client()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(Webhooks.NAME)
        .get();
  }

  private void installOldConfiguration(String url) {
    MutatingWebhook old = new MutatingWebhook();
    old.setName("pods.eci-virtual-node.io");
    old.setClientConfig(new WebhookClientConfigBuilder().withUrl(url).build());
    old.setSideEffects("None");
    old.setAdmissionReviewVersions(List.of("v1"));
    cluster
        .client()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(Webhooks.NAME)
                .endMetadata()
                .withWebhooks(old)
                .build())
        .create();
  }

  private UUID register() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "webhook-" + UUID.randomUUID().toString().substring(0, 6));
    body.put("region", "cn-hangzhou");
    body.put("mode", "managed");
    body.put(
        "apiServer",
        Map.of("url", cluster.url(), "credentials", Map.of("token", "stand-in-token")));
    body.put(
        "eci",
        Map.of(
            "vSwitchIds",
            List.of("vsw-a"),
            "securityGroupId",
            "sg-webhook",
            "credentials",
            Map.of(
                "accessKeyId",
                EciSandboxTestResource.KEY_A,
                "accessKeySecret",
                EciSandboxTestResource.SECRET_A)));
    String id =
        as(tenant)
            .body(body)
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    return UUID.fromString(id);
  }
}
