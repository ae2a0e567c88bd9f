package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.webhook.WebhookRegistration;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(UnmanagedAgentIT.ServiceUp.class)
class UnmanagedAgentIT {

  /** An agent whose service answers with an unmanaged configuration. */
  public static class ServiceUp implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(AgentWorld.class));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String HOLDER_PREFIX =
      "agent-" + AgentWorld.REPLICA + "/" + AgentWorld.CLUSTER_ID + "/";

  /** Each test leaves the agent as it found it: unmanaged, its token live, an AccessKey. */
  @AfterEach
  void backToUnmanaged() {
    AgentWorld.service.allow(AgentWorld.TOKEN);
    if (!"accessKey".equals(credentialsType())) {
      AgentWorld.service.change(c -> c.set("eci", AgentWorld.unmanaged(1).get("eci").deepCopy()));
    }
    if (!"unmanaged".equals(AgentWorld.service.current().path("mode").asText())
        || AgentWorld.service.current().path("paused").asBoolean()) {
      AgentWorld.service.change(c -> c.put("mode", "unmanaged").put("paused", false));
    }
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () ->
                ClusterView.ownershipHolder().filter(h -> h.startsWith(HOLDER_PREFIX)).isPresent());
  }

  @Test
  void aLabelledPodRunsOnEciWithTheConfigurationFromTheService() {
    ClusterView.labelledPod("web-1");
    ClusterView.awaitRunning("web-1");
    assertThat(AgentWorld.eci.instanceCount()).isGreaterThanOrEqualTo(1);
    String node =
        ClusterView.client()
            .pods()
            .inNamespace("default")
            .withName("web-1")
            .get()
            .getSpec()
            .getNodeName();
    assertThat(node).isEqualTo("virtual-kubelet-cn-hangzhou-b");
    ClusterView.deletePod("web-1");
  }

  @Test
  void theConfigurationIsCachedInASecretWithItsCredentials() {
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () ->
                ClusterView.client()
                        .secrets()
                        .inNamespace(AgentWorld.NAMESPACE)
                        .withName(ConfigCache.NAME)
                        .get()
                    != null);
    Secret cache =
        ClusterView.client()
            .secrets()
            .inNamespace(AgentWorld.NAMESPACE)
            .withName(ConfigCache.NAME)
            .get();
    RemoteConfig cached =
        RemoteConfig.parse(
            new String(
                Base64.getDecoder().decode(cache.getData().get(ConfigCache.KEY)),
                StandardCharsets.UTF_8));
    assertThat(cached.clusterId()).isEqualTo(AgentWorld.CLUSTER_ID);
    assertThat(cached.credentials().orElseThrow().accessKeyId()).isEqualTo(AgentWorld.KEY);
  }

  @Test
  void switchingToManagedReleasesTheOwnershipLeaseAndBackToUnmanagedTakesIt() {
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () ->
                ClusterView.ownershipHolder().filter(h -> h.startsWith(HOLDER_PREFIX)).isPresent());
    String before = ClusterView.ownershipHolder().orElseThrow();

    AgentWorld.service.change(c -> c.put("mode", "managed"));
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () -> ClusterView.ownershipHolder().filter(h -> h.startsWith(HOLDER_PREFIX)).isEmpty());

    AgentWorld.service.change(c -> c.put("mode", "unmanaged"));
    long version = AgentWorld.service.current().path("version").asLong();
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () ->
                ClusterView.ownershipHolder()
                    .filter((HOLDER_PREFIX + version)::equals)
                    .isPresent());
    assertThat(ClusterView.ownershipHolder().orElseThrow()).isNotEqualTo(before);
  }

  @Test
  void pausingTheClusterReleasesTheOwnershipLeaseAndLeavesItsPodRunning() {
    ClusterView.labelledPod("paused-1");
    ClusterView.awaitRunning("paused-1");
    AgentWorld.service.change(c -> c.put("paused", true));
    await().atMost(ClusterView.DEADLINE).until(() -> ClusterView.ownershipHolder().isEmpty());
    given()
        .get("/q/health/ready")
        .then()
        .body("checks.find { it.name == 'virtual-node' }.data.paused", equalTo(true));
    assertThat(
            ClusterView.client()
                .pods()
                .inNamespace("default")
                .withName("paused-1")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Running");
    ClusterView.deletePod("paused-1");
  }

  @Test
  void heartbeatsReportTheAgentsStatus() throws Exception {
    ClusterView.labelledPod("beat-1");
    ClusterView.awaitRunning("beat-1");
    long version = AgentWorld.service.current().path("version").asLong();
    // A report of the configuration in force, made since the pod runs.
    await().atMost(ClusterView.DEADLINE).until(() -> lastReport(version) != null);
    JsonNode last = lastReport(version);
    assertThat(last.path("agentVersion").asText()).isEqualTo("0.1.0-SNAPSHOT");
    // The holder is the running engine's: its term began with the version it started under.
    assertThat(last.path("holder").asText()).startsWith(HOLDER_PREFIX);
    assertThat(last.path("owner").asText()).isEqualTo(last.path("holder").asText());
    assertThat(last.path("nodeName").asText()).isEqualTo("virtual-kubelet-cn-hangzhou-b");
    assertThat(last.path("nodeReady").asBoolean()).isTrue();
    assertThat(last.path("configVersion").asLong()).isEqualTo(version);
    assertThat(last.has("lastError")).isTrue();
    assertThat(last.path("leaseAcquiredAt").asText()).isNotEmpty();
    ClusterView.deletePod("beat-1");
  }

  private static JsonNode lastReport(long version) {
    return AgentWorld.service.statuses().stream()
        .map(UnmanagedAgentIT::read)
        .filter(s -> s.path("configVersion").asLong() == version)
        .filter(s -> s.path("podsByPhase").path("Running").asLong() >= 1)
        .reduce((a, b) -> b)
        .orElse(null);
  }

  @Test
  void stsCredentialsRunPodsAndRenewedOnesAreSwappedInWithoutARestart() throws Exception {
    AgentWorld.service.change(c -> c.with("eci").set("credentials", uncheckedSts()));
    long stsVersion = AgentWorld.service.current().path("version").asLong();
    await()
        .atMost(ClusterView.DEADLINE)
        .until(
            () ->
                ClusterView.ownershipHolder()
                    .filter((HOLDER_PREFIX + stsVersion)::equals)
                    .isPresent());
    ClusterView.labelledPod("sts-1");
    ClusterView.awaitRunning("sts-1");

    AgentWorld.service.change(c -> c.with("eci").set("credentials", uncheckedSts()));
    ClusterView.labelledPod("sts-2");
    ClusterView.awaitRunning("sts-2");
    assertThat(ClusterView.ownershipHolder()).contains(HOLDER_PREFIX + stsVersion);
    ClusterView.deletePod("sts-1");
    ClusterView.deletePod("sts-2");
  }

  private static JsonNode uncheckedSts() {
    try {
      return SandboxSts.assumedRoleCredentials();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String credentialsType() {
    return AgentWorld.service.current().path("eci").path("credentials").path("type").asText();
  }

  @Test
  void aRevokedTokenShowsInReadinessAndTheNodeKeepsRunning() {
    AgentWorld.service.revoke(AgentWorld.TOKEN);
    // The long poll in flight ends within its wait; the next request meets the 401.
    AgentWorld.service.change(c -> c.put("heartbeatSeconds", 1));
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body(
                        "checks.find { it.name == 'control-service-link' }.data.tokenRefused",
                        containsString("401")));
    assertThat(ClusterView.ownershipHolder().orElseThrow()).startsWith(HOLDER_PREFIX);
    AgentWorld.service.allow(AgentWorld.TOKEN);
    AgentWorld.service.change(c -> c.put("heartbeatSeconds", 1));
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  @Test
  void aTokenOfAnotherClusterIsRefusedAndTheNodeKeepsRunning() {
    // What the service answers a token of another cluster with: that cluster's configuration.
    AgentWorld.service.change(c -> c.put("clusterId", "0d1e2f3a-0000-4000-8000-000000000000"));
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body(
                        "checks.find { it.name == 'control-service-link' }.data.tokenRefused",
                        containsString("not of agent.cluster-id " + AgentWorld.CLUSTER_ID)));
    assertThat(ClusterView.ownershipHolder().orElseThrow()).startsWith(HOLDER_PREFIX);
    AgentWorld.service.change(c -> c.put("clusterId", AgentWorld.CLUSTER_ID));
    await()
        .atMost(ClusterView.DEADLINE)
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  @Test
  void theWebhookConfigurationPointsAtTheAgentsServiceWithItsCa() throws Exception {
    await().atMost(ClusterView.DEADLINE).until(() -> webhook() != null);
    MutatingWebhookConfiguration webhook = webhook();
    assertThat(webhook.getWebhooks()).hasSize(2);
    var clientConfig = webhook.getWebhooks().get(0).getClientConfig();
    assertThat(clientConfig.getService().getName()).isEqualTo("eci-virtual-node-agent");
    assertThat(clientConfig.getService().getNamespace()).isEqualTo(AgentWorld.NAMESPACE);
    assertThat(
            new String(
                Base64.getDecoder().decode(clientConfig.getCaBundle()), StandardCharsets.UTF_8))
        .contains("BEGIN CERTIFICATE");
    String answer =
        WebhookCall.review(
            clientConfig.getService().getPort(),
            clientConfig.getCaBundle(),
            WebhookCall.labelledPodReview());
    assertThat(read(answer).path("response").path("patchType").asText()).isEqualTo("JSONPatch");
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  private static MutatingWebhookConfiguration webhook() {
    return ClusterView.client()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(WebhookRegistration.NAME)
        .get();
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
