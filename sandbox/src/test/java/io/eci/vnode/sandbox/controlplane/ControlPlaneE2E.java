package io.eci.vnode.sandbox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The harness itself: a real control plane comes up, answers, schedules and enforces RBAC. */
@RequiresControlPlane
class ControlPlaneE2E {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneE2E.class);

  private static ControlPlane cluster;

  @BeforeAll
  static void start() {
    cluster = ControlPlane.builder().workDir(Path.of("target", "control-plane", "harness")).start();
    LOG.info(
        "Kubernetes server version: {}",
        cluster.adminClient().getKubernetesVersion().getGitVersion());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void answersWithTheVersionOfItsBinaries() {
    assertThat(cluster.adminClient().getKubernetesVersion().getGitVersion())
        .isEqualTo(cluster.version())
        .startsWith("v1.");
    assertThat(cluster.adminClient().namespaces().list().getItems())
        .extracting(ns -> ns.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
  }

  @Test
  void aUserWithoutRolesIsForbiddenAndAServiceAccountHasAToken() {
    try (KubernetesClient nobody = cluster.client(cluster.user("nobody"))) {
      assertThatThrownBy(() -> nobody.pods().inNamespace("default").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
    Credentials.Token token = cluster.serviceAccountToken("default", "default");
    assertThat(token.user()).isEqualTo("system:serviceaccount:default:default");
  }

  @Test
  void theSchedulerBindsADeploymentsPodsToAReadyNode() {
    KubernetesClient admin = cluster.adminClient();
    cluster.heartbeatNode("harness-node", Map.of("harness", "yes"));
    admin
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addToNodeSelector("harness", "yes")
                .addNewToleration()
                .withKey(HeartbeatNode.TAINT)
                .withOperator("Exists")
                .endToleration()
                .addNewContainer()
                .withName("web")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  admin.pods().inNamespace("default").withLabel("app", "web").list().getItems();
              assertThat(pods)
                  .hasSize(2)
                  .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("harness-node"));
            });
  }
}
