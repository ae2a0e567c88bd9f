package io.eci.vnode.agent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.eci.vnode.agent.webhook.WebhookRegistration;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(MissingWebhookCertificateIT.NoTlsSecret.class)
class MissingWebhookCertificateIT {

  /** An agent told to serve the webhook with a TLS Secret that does not exist. */
  public static class NoTlsSecret implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(AgentWorld.class, Map.of("webhook-cert", "missing")));
    }
  }

  @Test
  void withoutItsCertificateTheWebhookIsNeitherServedNorInstalledAndPodsStillRun() {
    ClusterView.labelledPod("unsteered-1");
    ClusterView.awaitRunning("unsteered-1");
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body(
            "checks.find { it.name == 'virtual-node' }.data.webhook",
            containsString("a-tls-secret-nobody-made"));
    // With failurePolicy Fail, a configuration pointing at no server would refuse labelled pods.
    assertThat(
            ClusterView.client()
                .admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withName(WebhookRegistration.NAME)
                .get())
        .isNull();
  }
}
