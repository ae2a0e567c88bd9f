package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control service down, as the cluster sees it: its webhook cannot be called, and the virtual
 * node's heartbeat stops, so the node-lifecycle controller marks the node Unknown, taints it and
 * evicts its pods. Nothing may be lost, sent elsewhere, duplicated or orphaned, and once the
 * service is back everything is cleaned up and runs again. The control plane watches nodes closely
 * ({@value #GRACE_SECONDS} s without a heartbeat) and evicts after {@value #TOLERATION_SECONDS} s.
 */
@RequiresControlPlane
class ServiceOutageE2E {

  private static final int GRACE_SECONDS = 20;
  private static final int TOLERATION_SECONDS = 10;

  private static Product product;
  private static Kubectl kubectl;
  private static Manifests manifests;
  private static Pods pods;

  @BeforeAll
  static void start() {
    product =
        Product.builder("outage")
            .controlPlane(
                c ->
                    c.nodeMonitor(Duration.ofSeconds(2), Duration.ofSeconds(GRACE_SECONDS))
                        .evictionToleration(Duration.ofSeconds(TOLERATION_SECONDS)))
            .start();
    // A healthy node in another zone, as a real cluster has: when every node is unreachable, the
    // node-lifecycle controller assumes its own network failed and evicts nothing.
    product
        .cluster()
        .heartbeatNode(
            "worker-a",
            Map.of(
                "topology.kubernetes.io/region",
                Product.REGION,
                "topology.kubernetes.io/zone",
                "cn-hangzhou-a"));
    kubectl = product.adminKubectl();
    manifests = new Manifests(product.workDir().resolve("manifests"));
    pods = new Pods(product.kube());
  }

  @AfterEach
  void serviceRunsAgain() {
    if (!product.service().running()) {
      product.service().start();
    }
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void whileTheWebhookCannotBeCalledSelectedPodsAreRefusedNeverSentElsewhereAndMadeOnceItIsBack() {
    product.createNamespace("refused", Map.of());
    kubectl.ok("apply", "-f", manifests.deployment("refused", "web", 1).toString());
    pods.awaitRunning("refused", "app", "web", 1);

    product.service().stop();

    Kubectl.Result run =
        kubectl.run(
            "-n", "refused", "run", "solo", "--image", "nginx", "-l", "alibabacloud.com/eci=true");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("failed calling webhook").contains("pods.eci-virtual-node.io");
    kubectl.ok("-n", "refused", "scale", "deployment", "web", "--replicas", "2");
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(kubectl.ok("-n", "refused", "get", "events"))
                    .contains("FailedCreate")
                    .contains("failed calling webhook"));
    // Refused, not created without the steering: still the one pod.
    assertThat(product.kube().pods().inNamespace("refused").list().getItems()).hasSize(1);

    product.service().start();

    List<Pod> both = pods.awaitRunning("refused", "app", "web", 2);
    assertThat(both).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(Product.NODE));
  }

  @Test
  void aServiceDownPastTheGracePeriodGetsItsPodsEvictedAndBackUpEveryInstanceIsDeletedOnce() {
    product.createNamespace("evicted", Map.of());
    kubectl.ok("apply", "-f", manifests.deployment("evicted", "web", 2).toString());
    kubectl.ok(
        "-n", "evicted", "run", "solo", "--image", "nginx", "-l", "alibabacloud.com/eci=true");
    List<Pod> before = pods.awaitRunning("evicted", "app", "web", 2);
    Pod solo = pods.awaitRunning("evicted", "solo");
    Set<String> oldInstances =
        Stream.concat(before.stream(), Stream.of(solo))
            .map(Pods::instanceOf)
            .collect(Collectors.toSet());

    product.service().stop();

    Node unknown =
        await()
            .atMost(Duration.ofSeconds(GRACE_SECONDS * 3))
            .until(
                () -> product.kube().nodes().withName(Product.NODE).get(),
                n -> "Unknown".equals(ready(n).getStatus()));
    assertThat(ready(unknown).getReason()).isEqualTo("NodeStatusUnknown");
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(
                        product.kube().nodes().withName(Product.NODE).get().getSpec().getTaints())
                    .anySatisfy(
                        t -> {
                          assertThat(t.getKey()).isEqualTo("node.kubernetes.io/unreachable");
                          assertThat(t.getEffect()).isEqualTo("NoExecute");
                        }));
    // After the toleration the taint manager evicts: the pods are deleted, and wait (Terminating)
    // for the node to confirm their containers stopped.
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(product.kube().pods().inNamespace("evicted").withName("solo").get())
                    .satisfies(p -> assertThat(Pods.terminating(p)).isTrue()));
    assertThat(oldInstances).allSatisfy(id -> assertThat(product.calls().deletesOf(id)).isEmpty());

    product.service().start();

    // Ready again, and the node-lifecycle controller lifts its taints at its next look.
    await()
        .atMost(Product.DEADLINE)
        .until(
            () -> product.kube().nodes().withName(Product.NODE).get(),
            n ->
                Product.ready(n)
                    && n.getSpec().getTaints().stream()
                        .noneMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")));
    List<Pod> replacements = pods.awaitRunning("evicted", "app", "web", 2);
    assertThat(replacements)
        .extracting(p -> p.getMetadata().getUid())
        .doesNotContainAnyElementsOf(before.stream().map(p -> p.getMetadata().getUid()).toList());
    await()
        .atMost(Product.DEADLINE)
        .until(() -> product.kube().pods().inNamespace("evicted").withName("solo").get() == null);
    for (String id : oldInstances) {
      await()
          .atMost(Product.DEADLINE)
          .untilAsserted(
              () -> assertThat(product.calls().deletesOf(id)).as("deletes of %s", id).hasSize(1));
    }
    // Nothing orphaned: every instance ECI still holds belongs to a pod of the cluster.
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(product.calls().instances())
                    .extracting(ContainerGroup::getContainerGroupId)
                    .containsExactlyInAnyOrderElementsOf(product.instancesOfLivePods()));
  }

  private static NodeCondition ready(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
