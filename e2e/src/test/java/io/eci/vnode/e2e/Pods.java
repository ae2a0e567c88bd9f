package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Waiting for pods as a person watching {@code kubectl get pods} would. */
final class Pods {

  private final KubernetesClient kube;

  Pods(KubernetesClient kube) {
    this.kube = kube;
  }

  /** An nginx pod the ECI label selects, with {@code labels} besides. */
  static Pod selected(String name, Map<String, String> labels) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put("alibabacloud.com/eci", "true");
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(all)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx")
        .endContainer()
        .endSpec()
        .build();
  }

  /** Waits until {@code n} pods with {@code label=value} run on the virtual node with an IP. */
  List<Pod> awaitRunning(String namespace, String label, String value, int n) {
    return await()
        .atMost(Product.DEADLINE)
        .until(
            () -> kube.pods().inNamespace(namespace).withLabel(label, value).list().getItems(),
            pods ->
                pods.size() == n
                    && pods.stream().allMatch(p -> runningOnTheNode(p) && !terminating(p)));
  }

  /** Waits until the named pod runs on the virtual node with an IP; returns it. */
  Pod awaitRunning(String namespace, String name) {
    return await()
        .atMost(Product.DEADLINE)
        .until(
            () -> kube.pods().inNamespace(namespace).withName(name).get(), Pods::runningOnTheNode);
  }

  /** Waits until no pod with {@code label=value} is left in the namespace. */
  void awaitNone(String namespace, String label, String value) {
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(
                        kube.pods()
                            .inNamespace(namespace)
                            .withLabel(label, value)
                            .list()
                            .getItems())
                    .isEmpty());
  }

  static boolean runningOnTheNode(Pod pod) {
    return pod != null
        && Product.NODE.equals(pod.getSpec().getNodeName())
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getPodIP() != null
        && pod.getStatus().getPodIP().startsWith("10.1.");
  }

  static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  static String phase(Pod pod) {
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  static String instanceOf(Pod pod) {
    return pod.getMetadata().getAnnotations() == null
        ? null
        : pod.getMetadata().getAnnotations().get("k8s.aliyun.com/eci-instance-id");
  }
}
