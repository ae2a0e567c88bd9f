package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's walkthrough, verbatim, with the real kubectl against a real cluster: the machine's
 * kubectl and the one of the cluster's own version.
 */
@RequiresControlPlane
class WalkthroughE2E {

  private static final Logger LOG = LoggerFactory.getLogger(WalkthroughE2E.class);

  private static Product product;

  @BeforeAll
  static void start() {
    product = Product.builder("walkthrough").start();
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  static Stream<Arguments> kubectls() {
    List<Arguments> all = new ArrayList<>();
    all.add(Arguments.of("machine", product.adminKubectl()));
    product.sameVersionKubectl().ifPresent(k -> all.add(Arguments.of("cluster's own", k)));
    return all.stream();
  }

  @ParameterizedTest(name = "with the {0} kubectl")
  @MethodSource("kubectls")
  void theWalkthroughRunsLabelledPodsAndLabelledNamespacesOnTheVirtualNode(
      String which, Kubectl kubectl) {
    String version = kubectl.clientVersion();
    String ns = "vk-" + version.replaceAll("[^0-9]", "");
    LOG.info("walkthrough with kubectl {} ({})", version, kubectl);

    List<String> nodes = kubectl.run("get", "no").lines();
    assertThat(nodes)
        .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith(Product.NODE, "Ready", "agent"));

    String pod = "nginx-" + version.replaceAll("[^0-9]", "");
    assertThat(kubectl.ok("run", pod, "--image", "nginx", "-l", "alibabacloud.com/eci=true"))
        .contains("pod/" + pod + " created");
    awaitRunningRow(kubectl, "default", pod);

    kubectl.ok("create", "ns", ns);
    kubectl.ok("label", "namespace", ns, "alibabacloud.com/eci=true");
    product.awaitServiceAccount(ns);
    assertThat(kubectl.ok("-n", ns, "run", "nginx", "--image", "nginx"))
        .contains("pod/nginx created");
    awaitRunningRow(kubectl, ns, "nginx");

    Pod running = product.kube().pods().inNamespace(ns).withName("nginx").get();
    assertThat(product.calls().createsOf(running.getMetadata().getUid())).hasSize(1);
  }

  /** {@code kubectl get pod -o wide | grep virtual-kubelet}: Running, a sandbox IP, the node. */
  private static void awaitRunningRow(Kubectl kubectl, String namespace, String pod) {
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () -> {
              List<String> rows =
                  kubectl
                      .ok("-n", namespace, "get", "pod", "-o", "wide")
                      .lines()
                      .filter(l -> l.contains("virtual-kubelet"))
                      .toList();
              assertThat(rows)
                  .anySatisfy(
                      row ->
                          assertThat(row.split("\\s+"))
                              .startsWith(pod, "1/1", "Running", "0")
                              .contains(Product.NODE)
                              .anySatisfy(
                                  cell -> assertThat(cell).matches("10\\.1\\.\\d+\\.\\d+")));
            });
  }
}
