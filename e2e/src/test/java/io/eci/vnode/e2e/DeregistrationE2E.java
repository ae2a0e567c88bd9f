package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deregistering a cluster that still runs pods: the DELETE is accepted at once and, in the
 * background, the service deletes every instance (once each) and the virtual node; the cluster's
 * pod garbage collector then removes the pods of the node that no longer exists, and the webhook
 * configuration is gone, so new pods are admitted as before.
 */
@RequiresControlPlane
class DeregistrationE2E {

  private static Product product;

  @BeforeAll
  static void start() {
    product = Product.builder("deregistration").start();
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void theNodeGoesThePodGarbageCollectorRemovesItsPodsAndNoInstanceIsLeft() {
    Kubectl kubectl = product.adminKubectl();
    product.createNamespace("leaving", Map.of());
    kubectl.ok(
        "apply",
        "-f",
        new Manifests(product.workDir().resolve("manifests"))
            .deployment("leaving", "web", 2)
            .toString());
    kubectl.ok(
        "-n", "leaving", "run", "solo", "--image", "nginx", "-l", "alibabacloud.com/eci=true");
    Pods pods = new Pods(product.kube());
    List<Pod> running = pods.awaitRunning("leaving", "app", "web", 2);
    pods.awaitRunning("leaving", "solo");
    List<String> instances =
        product.calls().instances().stream().map(g -> g.getContainerGroupId()).toList();
    assertThat(instances).hasSize(3);

    product.asTenant().delete("/api/v1/clusters/{id}", product.clusterId()).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                product
                    .asTenant()
                    .get("/api/v1/clusters/{id}", product.clusterId())
                    .then()
                    .statusCode(404));

    assertThat(product.kube().nodes().withName(Product.NODE).get()).isNull();
    assertThat(product.webhookConfiguration()).isNull();
    assertThat(product.calls().instances()).isEmpty();
    assertThat(instances)
        .allSatisfy(
            id -> assertThat(product.calls().deletesOf(id)).as("deletes of %s", id).hasSize(1));
    // The pod garbage collector deletes pods bound to a node that no longer exists (after its
    // 40 s quarantine); the Deployment's replacements wait for a node, unsteered, on no ECI.
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(product.kube().pods().inNamespace("leaving").list().getItems())
                    .allSatisfy(
                        p -> {
                          assertThat(p.getMetadata().getName()).isNotEqualTo("solo");
                          assertThat(p.getSpec().getNodeName()).isNull();
                        })
                    .extracting(p -> p.getMetadata().getUid())
                    .doesNotContainAnyElementsOf(
                        running.stream().map(p -> p.getMetadata().getUid()).toList()));
    assertThat(product.calls().instances()).isEmpty();
  }
}
