package io.eci.vnode.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.drain.Drain;
import io.eci.vnode.agent.webhook.WebhookRegistration;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.node.NodeController;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DrainIT.Uninstalling.class)
class DrainIT {

  /** An agent running the virtual node when the chart's pre-delete hook drains. */
  public static class Uninstalling implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(AgentWorld.class));
    }
  }

  @Inject Drain drain;

  @Test
  void aDrainLeavesNoInstanceNodeLeaseOrWebhookAndExitsZero() {
    ClusterView.labelledPod("drained-1");
    ClusterView.labelledPod("drained-2");
    ClusterView.awaitRunning("drained-1");
    ClusterView.awaitRunning("drained-2");
    await().atMost(ClusterView.DEADLINE).until(() -> webhookExists());

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status = drain.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    String lines = printed.toString(StandardCharsets.UTF_8);
    assertThat(status).as(lines).isZero();
    assertThat(lines).contains("deleted instance").contains("nothing is left");
    assertThat(instancesOfTheCluster()).isEmpty();
    assertThat(
            ClusterView.client()
                .nodes()
                .withLabel(NodeController.CLUSTER_LABEL, AgentWorld.CLUSTER_ID)
                .list()
                .getItems())
        .isEmpty();
    assertThat(ClusterView.ownershipHolder()).isEmpty();
    assertThat(webhookExists()).isFalse();
    assertThat(
            ClusterView.client()
                .secrets()
                .inNamespace(AgentWorld.NAMESPACE)
                .withName(ConfigCache.NAME)
                .get())
        .isNull();
  }

  @Test
  void aDrainInManagedModeRemovesNothingAndSaysSo() {
    AgentWorld.service.change(c -> c.put("mode", "managed"));
    try {
      ClusterView.client()
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .resource(
              new MutatingWebhookConfigurationBuilder()
                  .withNewMetadata()
                  .withName(WebhookRegistration.NAME)
                  .addToLabels("app.kubernetes.io/managed-by", "eci-virtual-node-service")
                  .endMetadata()
                  .build())
          .createOr(o -> o.update());

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      int status = drain.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

      assertThat(status).isZero();
      assertThat(printed.toString(StandardCharsets.UTF_8))
          .contains("managed mode")
          .contains("nothing was removed");
      assertThat(webhookExists()).isTrue();
    } finally {
      ClusterView.client()
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(WebhookRegistration.NAME)
          .delete();
      AgentWorld.service.change(c -> c.put("mode", "unmanaged"));
    }
  }

  private static boolean webhookExists() {
    return ClusterView.client()
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(WebhookRegistration.NAME)
            .get()
        != null;
  }

  /** What the sandbox's ECI lists for the cluster, through the real SDK. */
  private static List<Instance> instancesOfTheCluster() {
    return new EciSdkInstances(
            new DefaultAcsClient(
                DefaultProfile.getProfile("cn-hangzhou", AgentWorld.KEY, AgentWorld.SECRET)),
            "cn-hangzhou",
            Optional.of(AgentWorld.eci.endpoint()))
        .describeByTag(InstanceTags.CLUSTER, AgentWorld.CLUSTER_ID);
  }
}
